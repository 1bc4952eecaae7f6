import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { isRole, type Role } from "../auth/roles.js";
import { Refusal } from "../refusal.js";
import { conditionalWrite } from "./dynamodb-client.js";
import { keys, TABLE, USERS_BY_ID, usernameOfKey } from "./table.js";

/** One login session, as its user's item holds it. Times are epoch milliseconds. */
export interface SessionEntry {
  /** Which refresh token of the session is the current one: each rotation counts it up. */
  generation: number;
  createdAt: number;
  lastUsedAt: number;
  /** The absolute end, fixed when the session starts. */
  expiresAt: number;
}

/** The live password-reset code of a user: only its hash is kept. */
export interface ResetCodeEntry {
  hash: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** What an admin sees of a user, in a listing or alone. */
export interface UserSummary {
  id: string;
  username: string;
  createdAt: string;
  roles: readonly Role[];
  disabled: boolean;
}

export interface User extends UserSummary {
  passwordHash: string;
  /** By session id (the `sid` claim). Ended sessions may linger until the next login prunes them. */
  sessions: ReadonlyMap<string, SessionEntry>;
  resetCode: ResetCodeEntry | undefined;
  /**
   * The admin roster's decision last written to `roles` or `disabled` (0: none yet). A write made for an
   * older decision than the one the item holds is dropped; see auth/account-standing.ts.
   */
  standingVersion: number;
}

/** The user an operation means: its item by username, and only while that item is still the user with this id. */
export type UserRef = Pick<User, "id" | "username">;

/** On what condition a new password replaces the old one and every session. */
export type ReplacementCondition =
  /** A password change: only while the password is still `previousHash` and the caller's session is live. */
  | { kind: "change"; previousHash: string; callerSessionId: string }
  /** A reset: only while the code with this hash is still the account's live one at `at` (epoch ms), and the account is enabled. */
  | { kind: "reset"; codeHash: string; at: number };

export interface PasswordReplacement {
  passwordHash: string;
  /** The one session left afterwards. */
  sessionId: string;
  entry: SessionEntry;
  condition: ReplacementCondition;
}

/** A change an admin makes to the account's standing; see auth/account-standing.ts for how it is ordered. */
export type StandingChange = { roles: readonly Role[] } | { disabled: boolean };

/**
 * The user item and the sessions inside it. Every write is one conditional update of that one item, so a
 * password change, a sign-out everywhere, a deletion or a disable takes effect for all sessions at once,
 * and a login racing a deletion or a disable cannot leave a session behind.
 */
export interface UserStore {
  /** Creates the user, or refuses with `username-taken`: one conditional put, so concurrent sign-ups yield one account. */
  create(user: Pick<User, "id" | "username" | "passwordHash" | "createdAt">): Promise<void>;
  findByUsername(username: string): Promise<User | undefined>;
  /** The user with this id: its username from the index, then its item, read consistently. */
  findById(id: string): Promise<User | undefined>;
  /** Adds a session and drops the `drop` ones in one write; false when the user is gone, disabled, or the name is someone else's now. */
  addSession(user: UserRef, sessionId: string, entry: SessionEntry, drop: readonly string[]): Promise<boolean>;
  /** Moves a session on from `generation`; false when it is not at `generation` any more (rotated or ended) or the user is gone. */
  rotateSession(user: UserRef, sessionId: string, generation: number, usedAt: number): Promise<boolean>;
  /** Ends one session; false when it was not a session of this user that is live at `liveAtMs`. */
  removeSession(user: UserRef, sessionId: string, liveAtMs: number): Promise<boolean>;
  removeAllSessions(user: UserRef): Promise<void>;
  /** Sets the new hash and replaces every session with the new one; false when its condition no longer holds. */
  replacePassword(user: UserRef, replacement: PasswordReplacement): Promise<boolean>;
  /** Makes `code` the account's one live reset code, replacing any earlier one; false when the user is gone. */
  setResetCode(user: UserRef, code: ResetCodeEntry): Promise<boolean>;
  /**
   * Writes an admin's change for the roster's decision `version` (a disable also ends every session): the
   * user as it is afterwards, or undefined when the user is gone or a later decision was written first.
   */
  applyStanding(user: UserRef, change: StandingChange, version: number): Promise<User | undefined>;
  /**
   * Deletes the user with its sessions; false when the password or the caller's session changed meanwhile,
   * the user is gone, or its standing was written since it was at `standingVersion`.
   */
  delete(user: UserRef, condition: { passwordHash: string; callerSessionId: string; standingVersion: number }): Promise<boolean>;
}

const SAME_USER = "id = :id";
const ENABLED = "(attribute_not_exists(disabled) OR disabled = :false)";
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

  async function findByUsername(username: string): Promise<User | undefined> {
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keys.user(username), ConsistentRead: true }));
    return Item && toUser(Item);
  }

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

    findByUsername,

    async findById(id) {
      // The index is eventually consistent, but a user's id and name never change: only the item is read for its state.
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: USERS_BY_ID.name,
          KeyConditionExpression: "#id = :id",
          ExpressionAttributeNames: { "#id": USERS_BY_ID.partitionKey.name },
          ExpressionAttributeValues: { ":id": { S: id } },
        }),
      );
      const username = usernameOfKey(Items[0]?.[TABLE.partitionKey.name]?.S);
      const user = username === undefined ? undefined : await findByUsername(username);
      return user?.id === id ? user : undefined;
    },

    async addSession(user, sessionId, entry, drop) {
      const add = () =>
        update(user, {
          UpdateExpression: `SET sessions.#sid = :entry${drop.length ? ` REMOVE ${drop.map((_, i) => `sessions.#drop${i}`).join(", ")}` : ""}`,
          ConditionExpression: `${SAME_USER} AND attribute_exists(sessions) AND ${ENABLED}`,
          ExpressionAttributeNames: { "#sid": sessionId, ...Object.fromEntries(drop.map((id, i) => [`#drop${i}`, id])) },
          ExpressionAttributeValues: { ":entry": entryAttribute(entry), ":false": { BOOL: false } },
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

    replacePassword(user, { passwordHash, sessionId, entry, condition }) {
      const values = { ":hash": { S: passwordHash }, ":sessions": { M: { [sessionId]: entryAttribute(entry) } } };
      if (condition.kind === "change") {
        // A code an admin issued before is void too: the user has just proven they hold the account.
        return update(user, {
          UpdateExpression: "SET passwordHash = :hash, sessions = :sessions REMOVE resetCode",
          ConditionExpression: `${SAME_USER} AND passwordHash = :previous AND attribute_exists(sessions.#caller)`,
          ExpressionAttributeNames: { "#caller": condition.callerSessionId },
          ExpressionAttributeValues: { ...values, ":previous": { S: condition.previousHash } },
        });
      }
      // The code is used up in the same write that uses it, so two redemptions of one code cannot both succeed.
      return update(user, {
        UpdateExpression: "SET passwordHash = :hash, sessions = :sessions REMOVE resetCode",
        ConditionExpression: `${SAME_USER} AND resetCode.#hash = :code AND resetCode.expiresAt > :at AND ${ENABLED}`,
        ExpressionAttributeNames: { "#hash": "hash" },
        ExpressionAttributeValues: {
          ...values,
          ":code": { S: condition.codeHash },
          ":at": { N: String(condition.at) },
          ":false": { BOOL: false },
        },
      });
    },

    setResetCode(user, code) {
      return update(user, {
        UpdateExpression: "SET resetCode = :code",
        ConditionExpression: SAME_USER,
        ExpressionAttributeValues: { ":code": { M: { hash: { S: code.hash }, expiresAt: { N: String(code.expiresAt) } } } },
      });
    },

    async applyStanding(user, change, version) {
      const [attribute, value, extra]: [string, AttributeValue, string] =
        "roles" in change
          ? ["roles", { L: change.roles.map((role) => ({ S: role })) }, ""]
          : ["disabled", { BOOL: change.disabled }, change.disabled ? ", sessions = :noSessions" : ""];
      try {
        const { Attributes } = await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: keys.user(user.username),
            UpdateExpression: `SET #attribute = :value, standingVersion = :version${extra}`,
            ConditionExpression: `${SAME_USER} AND (attribute_not_exists(standingVersion) OR standingVersion < :version)`,
            ExpressionAttributeNames: { "#attribute": attribute },
            ExpressionAttributeValues: {
              ":id": { S: user.id },
              ":value": value,
              ":version": { N: String(version) },
              ...(extra ? { ":noSessions": { M: {} } } : {}),
            },
            ReturnValues: "ALL_NEW",
          }),
        );
        return Attributes && toUser(Attributes);
      } catch (error) {
        if (error instanceof Error && error.name === "ConditionalCheckFailedException") return undefined;
        throw error;
      }
    },

    delete(user, condition) {
      return conditionalWrite(
        client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: keys.user(user.username),
            ConditionExpression: `${SAME_USER} AND passwordHash = :hash AND attribute_exists(sessions.#caller) AND ${
              condition.standingVersion === 0 ? "attribute_not_exists(standingVersion)" : "standingVersion = :standing"
            }`,
            ExpressionAttributeNames: { "#caller": condition.callerSessionId },
            ExpressionAttributeValues: {
              ":id": { S: user.id },
              ":hash": { S: condition.passwordHash },
              ...(condition.standingVersion === 0 ? {} : { ":standing": { N: String(condition.standingVersion) } }),
            },
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

export function toSummary(item: Record<string, AttributeValue>): UserSummary {
  return {
    id: item.id?.S ?? "",
    username: item.username?.S ?? "",
    createdAt: item.createdAt?.S ?? "",
    roles: (item.roles?.L ?? []).map((value) => value.S).filter(isRole),
    disabled: item.disabled?.BOOL === true,
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
  const reset = item.resetCode?.M;
  return {
    ...toSummary(item),
    passwordHash: item.passwordHash?.S ?? "",
    sessions,
    resetCode: reset?.hash?.S === undefined ? undefined : { hash: reset.hash.S, expiresAt: Number(reset.expiresAt?.N ?? 0) },
    standingVersion: Number(item.standingVersion?.N ?? 0),
  };
}
