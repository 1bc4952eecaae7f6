/**
 * The DynamoDB side of a floor, taken from the function itself: the commands its stores send while serving a
 * request, as they send them (inputs, order, what ran in parallel, each one's outcome), recorded by patching
 * the SDK client's `send`, and replayed with the same parallelism. A floor built this way pays exactly the
 * round trips, items and sizes the route pays, and nothing of our code.
 *
 * The pure parts (grouping into waves, what each command waits for, the input to replay) are unit tested in
 * test/unit/bench-replay.test.ts.
 */
import { randomBytes } from "node:crypto";
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";

/** One command as the function sent it; times are performance.now() milliseconds. */
export interface RecordedSend {
  /** The SDK command class's name, e.g. "UpdateItemCommand". */
  command: string;
  input: Record<string, unknown>;
  startedAt: number;
  endedAt: number;
  /** "ok", or the name of the error it ended with (a condition that did not hold is a ConditionalCheckFailedException). */
  outcome: string;
}

/**
 * Splits sends into waves: a new wave starts when a send starts while none is in flight. A login's waves are
 * the user read beside the lockout count, then (after bcrypt and the signature) its writes.
 */
export function waves(sends: readonly RecordedSend[]): RecordedSend[][] {
  const sorted = [...sends].sort((a, b) => a.startedAt - b.startedAt);
  const result: RecordedSend[][] = [];
  let inFlightUntil = Number.NEGATIVE_INFINITY;
  for (const send of sorted) {
    if (send.startedAt >= inFlightUntil) result.push([]);
    result.at(-1)!.push(send);
    inFlightUntil = Math.max(inFlightUntil, send.endedAt);
  }
  return result;
}

/**
 * Within a wave, the indexes of the sends each one waited for: those that had ended before it started (the
 * lockout's second try after a first one lost its condition, say). The others ran beside it.
 */
export function dependencies(wave: readonly RecordedSend[]): number[][] {
  return wave.map((send) => wave.flatMap((other, index) => (other !== send && other.endedAt <= send.startedAt ? [index] : [])));
}

/** A put that may only create its item (`attribute_not_exists` of the key) and nothing else. */
const CREATES_ITEM = /^attribute_not_exists\(\s*[#\w]+\s*\)$/;

/**
 * The input to send again. A put that only creates its item would fail on the item it created, so it
 * creates a new one instead: the same key with its part after the last `#` (a refresh token's hash) replaced
 * by random characters of the same length, so the item's size does not change. Everything else is sent as
 * it was: the same items, the same conditions.
 */
export function replayInput(send: Pick<RecordedSend, "command" | "input">, partitionKey: string): Record<string, unknown> {
  const condition = send.input.ConditionExpression;
  if (send.command !== "PutItemCommand" || typeof condition !== "string" || !CREATES_ITEM.test(condition.trim())) return send.input;
  const item = send.input.Item as Record<string, { S?: string }>;
  const key = item[partitionKey]?.S;
  if (key === undefined) return send.input;
  const cut = key.lastIndexOf("#") + 1;
  const fresh = randomBytes(key.length)
    .toString("base64url")
    .slice(0, key.length - cut);
  return { ...send.input, Item: { ...item, [partitionKey]: { S: key.slice(0, cut) + fresh } } };
}

type Client = { send(command: unknown): Promise<unknown> };
type ClientClass = { prototype: Client };

/** The commands the stores send, by class name, for sending recorded inputs again. */
const COMMANDS = { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } as const;
const isCommandName = (name: string): name is keyof typeof COMMANDS => Object.hasOwn(COMMANDS, name);

/**
 * Patches `send` of the SDK client class, so every client made from it (the function's, inside the bundle,
 * which imports the same @aws-sdk/client-dynamodb module, the SDK being external) records what it sends
 * between start() and take(). Works only while the bundle leaves the SDK out (the default).
 */
export function recordSends(clientClass: ClientClass) {
  const original = clientClass.prototype.send;
  let recording: RecordedSend[] | undefined;
  clientClass.prototype.send = async function (this: Client, command: unknown) {
    if (!recording) return original.call(this, command);
    const entry: RecordedSend = {
      command: (command as object).constructor.name,
      input: (command as { input: Record<string, unknown> }).input,
      startedAt: performance.now(),
      endedAt: Number.POSITIVE_INFINITY,
      outcome: "ok",
    };
    recording.push(entry);
    try {
      return await original.call(this, command);
    } catch (error) {
      entry.outcome = error instanceof Error ? error.name : "error";
      throw error;
    } finally {
      entry.endedAt = performance.now();
    }
  };
  return {
    start() {
      recording = [];
    },
    take(): RecordedSend[] {
      const taken = recording ?? [];
      recording = undefined;
      if (taken.length === 0) {
        throw new Error("no DynamoDB command recorded: the bundle must import the AWS SDK (build without BUNDLE_AWS_SDK=1)");
      }
      return taken;
    },
  };
}

export interface Replayer {
  /**
   * Sends one wave again as it ran (parallel sends in parallel, chained ones in turn) and returns the
   * replies, in the wave's order (undefined for a failed send); with `strict`, refuses a different outcome.
   */
  wave(wave: readonly RecordedSend[], strict?: boolean): Promise<unknown[]>;
}

export function createReplayer(client: DynamoDBClient, partitionKey: string): Replayer {
  async function sendOne(send: RecordedSend, strict: boolean) {
    if (!isCommandName(send.command)) throw new Error(`no ${send.command} to replay`);
    const Command = COMMANDS[send.command] as new (input: unknown) => Parameters<DynamoDBClient["send"]>[0];
    let outcome = "ok";
    let reply: unknown;
    try {
      reply = await client.send(new Command(replayInput(send, partitionKey)));
    } catch (error) {
      outcome = error instanceof Error ? error.name : "error";
    }
    // A replay that took another path than the route did (a condition that now fails) would time something else.
    if (strict && outcome !== send.outcome) throw new Error(`replayed ${send.command} ended ${outcome}, the route's ended ${send.outcome}`);
    return reply;
  }
  return {
    async wave(wave, strict = false) {
      // dependencies() names only sends that started earlier, and waves() sorts by start: each is set before it is awaited.
      const waitsFor = dependencies(wave);
      const done: Promise<unknown>[] = [];
      wave.forEach((send, index) => {
        done[index] = Promise.all(waitsFor[index]!.map((other) => done[other])).then(() => sendOne(send, strict));
      });
      return Promise.all(done);
    },
  };
}
