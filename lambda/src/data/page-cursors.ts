import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type AttributeValue, type DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { isUserId } from "../auth/user-ids.js";
import { usernameError } from "../auth/username.js";
import { Refusal } from "../refusal.js";
import { conditionalWrite } from "./dynamodb-client.js";
import { keys, TABLE, USERS_BY_ID, usernameOfKey } from "./table.js";

/**
 * Cursors of the user listing: where a scan of the users-by-id index stopped, with an HMAC-SHA256 over it,
 * so a client can hand one back but cannot make one up. Before a cursor is used its MAC must match and
 * what it names must be a user key (a user id and a `user#` key of a valid username), so even a leaked
 * MAC key could only start a listing of users somewhere else among users.
 *
 * The MAC key is 256 random bits kept in the table itself (one item, created on first use, read once per
 * container): not in the repository, the Terraform state or the environment, and the same for every
 * container, so a cursor from one works in all. Whoever can read the table can read every user anyway, so
 * the table is as safe a place for it as any. Deleting the item retires every cursor issued so far, once
 * the containers that read it are replaced (a deploy replaces them all).
 */
export interface PageCursors {
  seal(lastEvaluatedKey: Record<string, AttributeValue>): Promise<string>;
  /** The scan's start key that `cursor` names; `cursor-rejected` unless this API issued it. */
  open(cursor: string): Promise<Record<string, AttributeValue>>;
}

const KEY_BYTES = 32;
const CURSOR = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/;
/** Bound into every MAC, so nothing else this key might one day sign can pass for a cursor. */
const CONTEXT = "auth-api users-by-id cursor v1\n";

export function createPageCursors(client: DynamoDBClient, tableName: string): PageCursors {
  let key: Promise<Buffer> | undefined;

  async function read(): Promise<Buffer | undefined> {
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keys.pageCursorKey(), ConsistentRead: true }));
    return Item?.key?.B === undefined ? undefined : Buffer.from(Item.key.B);
  }

  /** The key, created if no cursor was ever issued; two containers creating it at once agree on the first one written. */
  async function readOrCreate(): Promise<Buffer> {
    const existing = await read();
    if (existing) return existing;
    const created = randomBytes(KEY_BYTES);
    const written = await conditionalWrite(
      client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...keys.pageCursorKey(), key: { B: created } },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": TABLE.partitionKey.name },
        }),
      ),
    );
    if (written) return created;
    const winner = await read();
    if (!winner) throw new Error("the page cursor key vanished while it was created");
    return winner;
  }

  /** Remembers the key once known; a failed read is not remembered, so the next request tries again. */
  function remember(loading: Promise<Buffer>): Promise<Buffer> {
    key = loading;
    loading.catch(() => {
      if (key === loading) key = undefined;
    });
    return loading;
  }

  const mac = (secret: Buffer, payload: string) =>
    createHmac("sha256", secret)
      .update(CONTEXT + payload)
      .digest();

  return {
    async seal(lastEvaluatedKey) {
      const secret = await (key ?? remember(readOrCreate()));
      const position = [lastEvaluatedKey[USERS_BY_ID.partitionKey.name]?.S, usernameOfKey(lastEvaluatedKey[TABLE.partitionKey.name]?.S)];
      const payload = Buffer.from(JSON.stringify(position)).toString("base64url");
      return `${payload}.${mac(secret, payload).toString("base64url")}`;
    },

    async open(cursor) {
      const match = CURSOR.exec(cursor);
      if (!match) throw new Refusal("cursor-rejected");
      const [, payload = "", tag = ""] = match;
      // Without a key no cursor was ever issued, so this one cannot be genuine; nothing is created for it.
      const secret = await (key ?? read().then((found) => (found ? remember(Promise.resolve(found)) : undefined)));
      if (!secret || !timingSafeEqual(mac(secret, payload), Buffer.from(tag, "base64url"))) throw new Refusal("cursor-rejected");
      const [id, username] = parsePosition(payload);
      if (!isUserId(id) || username === undefined || usernameError(username) !== undefined) throw new Refusal("cursor-rejected");
      return { [USERS_BY_ID.partitionKey.name]: { S: id }, ...keys.user(username) };
    },
  };
}

function parsePosition(payload: string): [string | undefined, string | undefined] {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, "base64url").toString());
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "string")) return [value[0], value[1]];
  } catch {
    // Not JSON: refused below like any other cursor that names no user.
  }
  return [undefined, undefined];
}
