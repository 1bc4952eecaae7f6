import { type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { conditionalWrite } from "./dynamodb-client.js";
import { keys, TABLE } from "./table.js";

export const LOGIN_ATTEMPT_LIMIT = { maxAttempts: 10, windowSeconds: 15 * 60 } as const;

/** An allowed attempt knows its window and how many attempts of it had finished when it was counted. */
export type AttemptReservation =
  | { allowed: true; windowEnd: number; settledBefore: number }
  | { allowed: false; retryAfterSeconds: number };

type Allowed = Extract<AttemptReservation, { allowed: true }>;

/**
 * A window item counts `attempts` (every attempt let through to a password check) and `settled` (those
 * whose check has finished). Only settled attempts are ever forgiven, so an attempt still running when the
 * owner logs in stays counted.
 */
export interface LoginAttemptStore {
  /**
   * Counts one attempt for a canonical username, known or not, before its password is checked. One
   * conditional write per attempt, so no burst of parallel requests gets past the limit.
   */
  reserve(username: string, nowSeconds: number): Promise<AttemptReservation>;
  /** A wrong password: the attempt stays counted, now as finished. */
  settleFailure(username: string, reservation: Allowed): Promise<void>;
  /**
   * The right password: forgives the attempts that had finished before this one was counted (its "seen"
   * failures, and earlier successes), and counts itself as finished. Attempts that were running meanwhile
   * stay counted.
   */
  settleSuccess(username: string, reservation: Allowed): Promise<void>;
}

const NAMES = { "#pk": TABLE.partitionKey.name, "#expiresAt": TABLE.ttlAttribute };
/** Losing a race to start a window, then to count in it, can happen only a couple of times in a row. */
const MAX_ROUNDS = 3;

export function createLoginAttemptStore(client: DynamoDBClient, tableName: string): LoginAttemptStore {
  const { maxAttempts, windowSeconds } = LOGIN_ATTEMPT_LIMIT;

  /** One more attempt in the current window, if the window is live and not full. */
  async function countInWindow(username: string, now: number): Promise<Allowed | undefined> {
    try {
      const { Attributes } = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: keys.loginAttempts(username),
          UpdateExpression: "ADD attempts :one",
          ConditionExpression: "attribute_exists(#pk) AND #expiresAt > :now AND attempts < :max",
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: { ":one": { N: "1" }, ":now": { N: String(now) }, ":max": { N: String(maxAttempts) } },
          ReturnValues: "ALL_NEW",
        }),
      );
      return {
        allowed: true,
        windowEnd: Number(Attributes?.[TABLE.ttlAttribute]?.N ?? 0),
        settledBefore: Number(Attributes?.settled?.N ?? 0),
      };
    } catch (error) {
      if (error instanceof Error && error.name === "ConditionalCheckFailedException") return undefined;
      throw error;
    }
  }

  /** A fresh window with this attempt in it, unless a live window exists. */
  async function startWindow(username: string, now: number): Promise<Allowed | undefined> {
    const windowEnd = now + windowSeconds;
    const started = await conditionalWrite(
      client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...keys.loginAttempts(username),
            attempts: { N: "1" },
            settled: { N: "0" },
            // The window's end doubles as the item's TTL, so DynamoDB removes stale counters.
            [TABLE.ttlAttribute]: { N: String(windowEnd) },
          },
          ConditionExpression: "attribute_not_exists(#pk) OR #expiresAt <= :now",
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: { ":now": { N: String(now) } },
        }),
      ),
    );
    return started ? { allowed: true, windowEnd, settledBefore: 0 } : undefined;
  }

  /** Adds to the counters of the reservation's window; nothing once that window has ended. */
  function addInWindow(username: string, { windowEnd }: Allowed, attempts: number, settled: number, minimumSettled = 0) {
    return conditionalWrite(
      client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: keys.loginAttempts(username),
          UpdateExpression: "ADD attempts :attempts, settled :settled",
          ConditionExpression: `#expiresAt = :windowEnd${minimumSettled > 0 ? " AND settled >= :minimum" : ""}`,
          ExpressionAttributeNames: { "#expiresAt": NAMES["#expiresAt"] },
          ExpressionAttributeValues: {
            ":attempts": { N: String(attempts) },
            ":settled": { N: String(settled) },
            ":windowEnd": { N: String(windowEnd) },
            ...(minimumSettled > 0 ? { ":minimum": { N: String(minimumSettled) } } : {}),
          },
        }),
      ),
    );
  }

  return {
    async reserve(username, now) {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const reservation = (await countInWindow(username, now)) ?? (await startWindow(username, now));
        if (reservation) return reservation;
        const { Item } = await client.send(
          new GetItemCommand({ TableName: tableName, Key: keys.loginAttempts(username), ConsistentRead: true }),
        );
        const windowEnd = Number(Item?.[TABLE.ttlAttribute]?.N ?? 0);
        if (Number(Item?.attempts?.N ?? 0) >= maxAttempts && windowEnd > now) {
          return { allowed: false, retryAfterSeconds: windowEnd - now };
        }
      }
      return { allowed: false, retryAfterSeconds: 1 };
    },

    async settleFailure(username, reservation) {
      await addInWindow(username, reservation, 0, 1);
    },

    async settleSuccess(username, reservation) {
      const seen = reservation.settledBefore;
      // A concurrent success may have forgiven the same attempts already; then this one only settles itself.
      const forgiven = seen > 0 && (await addInWindow(username, reservation, -seen, 1 - seen, seen));
      if (!forgiven) await addInWindow(username, reservation, 0, 1);
    },
  };
}
