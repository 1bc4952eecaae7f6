import { type AttributeValue, type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { RefreshTokenDigest } from "../auth/refresh-tokens.js";
import { conditionalWrite } from "./dynamodb-client.js";
import { keys, TABLE } from "./table.js";

/** A login session: the hash of its one current refresh token, and who it belongs to. */
export interface Session {
  userId: string;
  username: string;
  tokenHash: string;
  /** Epoch seconds; also the table's TTL attribute, so DynamoDB deletes the item some time after. */
  expiresAt: number;
  revoked: boolean;
}

export interface SessionStore {
  create(digest: RefreshTokenDigest, session: Omit<Session, "tokenHash" | "revoked">): Promise<void>;
  /**
   * Swaps the current token hash for the next one if, and only if, `presented` is the current token of a live
   * session: one conditional update, so of any number of concurrent rotations exactly one wins.
   */
  rotate(presented: RefreshTokenDigest, nextHash: string, expiresAt: number, nowSeconds: number): Promise<boolean>;
  find(sessionId: string): Promise<Session | undefined>;
  revoke(sessionId: string): Promise<void>;
}

const NAMES = { "#pk": TABLE.partitionKey.name, "#expiresAt": TABLE.ttlAttribute };

export function createSessionStore(client: DynamoDBClient, tableName: string): SessionStore {
  return {
    async create(digest, session) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...keys.session(digest.sessionId),
            userId: { S: session.userId },
            username: { S: session.username },
            tokenHash: { S: digest.hash },
            [TABLE.ttlAttribute]: { N: String(session.expiresAt) },
            revoked: { BOOL: false },
          },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": NAMES["#pk"] },
        }),
      );
    },

    async rotate(presented, nextHash, expiresAt, nowSeconds) {
      return conditionalWrite(
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: keys.session(presented.sessionId),
            UpdateExpression: "SET tokenHash = :next, #expiresAt = :expiresAt",
            ConditionExpression: "attribute_exists(#pk) AND tokenHash = :presented AND revoked = :false AND #expiresAt > :now",
            ExpressionAttributeNames: NAMES,
            ExpressionAttributeValues: {
              ":next": { S: nextHash },
              ":presented": { S: presented.hash },
              ":expiresAt": { N: String(expiresAt) },
              ":now": { N: String(nowSeconds) },
              ":false": { BOOL: false },
            },
          }),
        ),
      );
    },

    async find(sessionId) {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keys.session(sessionId), ConsistentRead: true }));
      return Item && toSession(Item);
    },

    async revoke(sessionId) {
      await conditionalWrite(
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: keys.session(sessionId),
            UpdateExpression: "SET revoked = :true",
            // Never create a session item out of an unknown id.
            ConditionExpression: "attribute_exists(#pk)",
            ExpressionAttributeNames: { "#pk": NAMES["#pk"] },
            ExpressionAttributeValues: { ":true": { BOOL: true } },
          }),
        ),
      );
    },
  };
}

function toSession(item: Record<string, AttributeValue>): Session {
  return {
    userId: item.userId?.S ?? "",
    username: item.username?.S ?? "",
    tokenHash: item.tokenHash?.S ?? "",
    expiresAt: Number(item[TABLE.ttlAttribute]?.N ?? 0),
    revoked: item.revoked?.BOOL ?? true,
  };
}
