import { type DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { keys, TABLE } from "./table.js";

/**
 * What the server keeps of each refresh token it ever issued, under the token's hash: the session it
 * belongs to and which generation of that session's tokens it is. The session itself lives in the user's
 * item; a token is current while its generation is the session's. Records never change, so a token that
 * was once valid stays recognisable (a replay) while a made-up one matches nothing.
 */
export interface RefreshTokenRecord {
  username: string;
  userId: string;
  sessionId: string;
  generation: number;
  /** The session's end, epoch seconds; also the table's TTL attribute, so DynamoDB deletes the record some time after. */
  expiresAt: number;
}

export interface RefreshTokenStore {
  put(hash: string, record: RefreshTokenRecord): Promise<void>;
  find(hash: string): Promise<RefreshTokenRecord | undefined>;
}

export function createRefreshTokenStore(client: DynamoDBClient, tableName: string): RefreshTokenStore {
  return {
    async put(hash, record) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...keys.refreshToken(hash),
            username: { S: record.username },
            userId: { S: record.userId },
            sessionId: { S: record.sessionId },
            generation: { N: String(record.generation) },
            [TABLE.ttlAttribute]: { N: String(record.expiresAt) },
          },
          // 256 random bits never collide; the condition only makes sure no record is ever rewritten.
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": TABLE.partitionKey.name },
        }),
      );
    },

    async find(hash) {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keys.refreshToken(hash), ConsistentRead: true }));
      if (!Item) return undefined;
      return {
        username: Item.username?.S ?? "",
        userId: Item.userId?.S ?? "",
        sessionId: Item.sessionId?.S ?? "",
        generation: Number(Item.generation?.N ?? Number.NaN),
        expiresAt: Number(Item[TABLE.ttlAttribute]?.N ?? 0),
      };
    },
  };
}
