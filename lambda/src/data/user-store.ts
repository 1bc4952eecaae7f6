import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { Refusal } from "../refusal.js";
import { conditionalWrite } from "./dynamodb-client.js";
import { keys, TABLE } from "./table.js";

/** One login session, as its user's item holds it. Times are epoch milliseconds. */
export interface SessionEntry {
  /** Which refresh token of the session is the current one: each rotation counts it up. */
  generation: number;
  createdAt: number;
  lastUsedAt: number;
  /** The absolute end, fixed when the session starts. */
  expiresAt: number;
}

export interface User {
  id: string;
  username: string;
  passwordHash: string;
  createdAt: string;
  /** By session id (the `sid` claim). Ended sessions may linger until the next login prunes them. */
  sessions: ReadonlyMap<string, SessionEntry>;
}

/** The user an operation means: its item by username, and only while that item is still the user with this id. */
export type UserRef = Pick<User, "id" | "username">;

export interface PasswordChange {
  previousHash: string;
  passwordHash: string;
  /** The session that asked; the change is made only while it is still live. */
  callerSessionId: string;
  /** The one session left afterwards. */
  sessionId: string;
  entry: SessionEntry;
}

/**
 * The user item and the sessions inside it. Every write is one conditional update of that one item, so a
 * password change, a sign-out everywhere or a deletion takes effect for all sessions at once, and a login
 * racing a deletion cannot leave a session behind.
 */
export interface UserStore {
  /** Creates the user, or refuses with `username-taken`: one conditional put, so concurrent sign-ups yield one account. */
  create(user: Omit<User, "sessions">): Promise<void>;
  findByUsername(username: string): Promise<User | undefined>;
  /** Adds a session and drops the `drop` ones in one write; false when the user is gone or the name is someone else's now. */
  addSession(user: UserRef, sessionId: string, entry: SessionEntry, drop: readonly string[]): Promise<boolean>;
  /** Moves a session on from `generation`; false when it is not at `generation` any more (rotated or ended) or the user is gone. */
  rotateSession(user: UserRef, sessionId: string, generation: number, usedAt: number): Promise<boolean>;
  /** Ends one session; false when it was not a session of this user that is live at `liveAtMs`. */
  removeSession(user: UserRef, sessionId: string, liveAtMs: number): Promise<boolean>;
  removeAllSessions(user: UserRef): Promise<void>;
  /** Sets the new hash and replaces every session with the new one; false when the password, the caller's session or the user changed meanwhile. */
  changePassword(user: UserRef, change: PasswordChange): Promise<boolean>;
  /** Deletes the user with its sessions; false when the password or the caller's session changed meanwhile, or the user is gone. */
  delete(user: UserRef, condition: { passwordHash: string; callerSessionId: string }): Promise<boolean>;
}

const SAME_USER = "id = :id";

export function createUserStore(client: DynamoDBClient, tableName: string): UserStore {
  /** One conditional update of the user's item, with its id among the values. */
  const update = (user: UserRef, input: Omit<UpdateItemCommandInput, "TableName" | "Key">) =>
    conditionalWrite(
      client.send(
        new UpdateItemCommand({
          ...input,
          TableName: tableName,
          Key: keys.user(user.username),
          ExpressionAttributeValues: { ":id": { S: user.id }, ...input.ExpressionAttributeValues },
        }),
      ),
    );

  return {
    async create(user) {
      const created = await conditionalWrite(
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...keys.user(user.username),
              id: { S: user.id },
              username: { S: user.username },
              passwordHash: { S: user.passwordHash },
              createdAt: { S: user.createdAt },
              sessions: { M: {} },
            },
            ConditionExpression: "attribute_not_exists(#pk)",
            ExpressionAttributeNames: { "#pk": TABLE.partitionKey.name },
          }),
        ),
      );
      if (!created) throw new Refusal("username-taken");
    },

    async findByUsername(username) {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keys.user(username), ConsistentRead: true }));
      return Item && toUser(Item);
    },

    async addSession(user, sessionId, entry, drop) {
      const add = () =>
        update(user, {
          UpdateExpression: `SET sessions.#sid = :entry${drop.length ? ` REMOVE ${drop.map((_, i) => `sessions.#drop${i}`).join(", ")}` : ""}`,
          ConditionExpression: `${SAME_USER} AND attribute_exists(sessions)`,
          ExpressionAttributeNames: { "#sid": sessionId, ...Object.fromEntries(drop.map((id, i) => [`#drop${i}`, id])) },
          ExpressionAttributeValues: { ":entry": entryAttribute(entry) },
        });
      if (await add()) return true;
      // Accounts made before sessions lived in the user item have no map yet: give this one its map, then add.
      const hasMap = await update(user, {
        UpdateExpression: "SET sessions = if_not_exists(sessions, :empty)",
        ConditionExpression: SAME_USER,
        ExpressionAttributeValues: { ":empty": { M: {} } },
      });
      return hasMap && add();
    },

    rotateSession(user, sessionId, generation, usedAt) {
      return update(user, {
        UpdateExpression: "SET sessions.#sid.generation = :next, sessions.#sid.lastUsedAt = :usedAt",
        ConditionExpression: `${SAME_USER} AND sessions.#sid.generation = :generation`,
        ExpressionAttributeNames: { "#sid": sessionId },
        ExpressionAttributeValues: {
          ":generation": { N: String(generation) },
          ":next": { N: String(generation + 1) },
          ":usedAt": { N: String(usedAt) },
        },
      });
    },

    removeSession(user, sessionId, liveAtMs) {
      return update(user, {
        UpdateExpression: "REMOVE sessions.#sid",
        ConditionExpression: `${SAME_USER} AND sessions.#sid.expiresAt > :liveAt`,
        ExpressionAttributeNames: { "#sid": sessionId },
        ExpressionAttributeValues: { ":liveAt": { N: String(liveAtMs) } },
      });
    },

    async removeAllSessions(user) {
      await update(user, {
        UpdateExpression: "SET sessions = :empty",
        ConditionExpression: SAME_USER,
        ExpressionAttributeValues: { ":empty": { M: {} } },
      });
    },

    changePassword(user, change) {
      return update(user, {
        UpdateExpression: "SET passwordHash = :hash, sessions = :sessions",
        ConditionExpression: `${SAME_USER} AND passwordHash = :previous AND attribute_exists(sessions.#caller)`,
        ExpressionAttributeNames: { "#caller": change.callerSessionId },
        ExpressionAttributeValues: {
          ":hash": { S: change.passwordHash },
          ":previous": { S: change.previousHash },
          ":sessions": { M: { [change.sessionId]: entryAttribute(change.entry) } },
        },
      });
    },

    delete(user, condition) {
      return conditionalWrite(
        client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: keys.user(user.username),
            ConditionExpression: `${SAME_USER} AND passwordHash = :hash AND attribute_exists(sessions.#caller)`,
            ExpressionAttributeNames: { "#caller": condition.callerSessionId },
            ExpressionAttributeValues: { ":id": { S: user.id }, ":hash": { S: condition.passwordHash } },
          }),
        ),
      );
    },
  };
}

function entryAttribute(entry: SessionEntry): AttributeValue {
  return {
    M: {
      generation: { N: String(entry.generation) },
      createdAt: { N: String(entry.createdAt) },
      lastUsedAt: { N: String(entry.lastUsedAt) },
      expiresAt: { N: String(entry.expiresAt) },
    },
  };
}

function toUser(item: Record<string, AttributeValue>): User {
  // A Map, so a session id from a request (such as "__proto__") can never reach Object.prototype.
  const sessions = new Map<string, SessionEntry>();
  for (const [sessionId, value] of Object.entries(item.sessions?.M ?? {})) {
    const entry = value.M ?? {};
    sessions.set(sessionId, {
      generation: Number(entry.generation?.N ?? Number.NaN),
      createdAt: Number(entry.createdAt?.N ?? 0),
      lastUsedAt: Number(entry.lastUsedAt?.N ?? 0),
      expiresAt: Number(entry.expiresAt?.N ?? 0),
    });
  }
  return {
    id: item.id?.S ?? "",
    username: item.username?.S ?? "",
    passwordHash: item.passwordHash?.S ?? "",
    createdAt: item.createdAt?.S ?? "",
    sessions,
  };
}
