import { type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { conditionalWrite } from "./dynamodb-client.js";
import { keys, TABLE } from "./table.js";

export const LOGIN_ATTEMPT_LIMIT = { maxAttempts: 10, windowSeconds: 15 * 60 } as const;

export type AttemptReservation = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface LoginAttemptStore {
  /**
   * Counts one login attempt for a canonical username, known or not, before its password is checked.
   * One conditional write per attempt, so no burst of parallel requests gets past the limit.
   */
  reserve(username: string, nowSeconds: number): Promise<AttemptReservation>;
  /** A successful login clears the count. */
  reset(username: string): Promise<void>;
}

const NAMES = { "#pk": TABLE.partitionKey.name, "#expiresAt": TABLE.ttlAttribute };
/** Losing a race to start a window, then to count in it, can happen only a couple of times in a row. */
const MAX_ROUNDS = 3;

export function createLoginAttemptStore(client: DynamoDBClient, tableName: string): LoginAttemptStore {
  const { maxAttempts, windowSeconds } = LOGIN_ATTEMPT_LIMIT;

  /** One more attempt in the current window, if the window is live and not full. */
  async function countInWindow(username: string, now: number): Promise<boolean> {
    return conditionalWrite(
      client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: keys.loginAttempts(username),
          UpdateExpression: "ADD attempts :one",
          ConditionExpression: "attribute_exists(#pk) AND #expiresAt > :now AND attempts < :max",
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: { ":one": { N: "1" }, ":now": { N: String(now) }, ":max": { N: String(maxAttempts) } },
        }),
      ),
    );
  }

  /** A fresh window with this attempt in it, unless a live window exists. */
  async function startWindow(username: string, now: number): Promise<boolean> {
    return conditionalWrite(
      client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...keys.loginAttempts(username),
            attempts: { N: "1" },
            // The window's end doubles as the item's TTL, so DynamoDB removes stale counters.
            [TABLE.ttlAttribute]: { N: String(now + windowSeconds) },
          },
          ConditionExpression: "attribute_not_exists(#pk) OR #expiresAt <= :now",
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: { ":now": { N: String(now) } },
        }),
      ),
    );
  }

  return {
    async reserve(username, now) {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        if ((await countInWindow(username, now)) || (await startWindow(username, now))) return { allowed: true };
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

    async reset(username) {
      await conditionalWrite(
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: keys.loginAttempts(username),
            UpdateExpression: "SET attempts = :zero",
            ConditionExpression: "attribute_exists(#pk)",
            ExpressionAttributeNames: { "#pk": NAMES["#pk"] },
            ExpressionAttributeValues: { ":zero": { N: "0" } },
          }),
        ),
      );
    },
  };
}
