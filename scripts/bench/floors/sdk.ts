/**
 * The SDK floor: a handler that creates the AWS SDK clients the function uses, configured the same way
 * (DynamoDB always; KMS when KMS_KEY_ID is set, as the function does), and for a login makes the same
 * DynamoDB calls plus the one bcrypt compare no login can skip. Bundled like the function, so the
 * cold-start comparison measures our code, not the SDK.
 */
import { randomBytes } from "node:crypto";
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import bcrypt from "bcryptjs";
import { boundedSdkOptions } from "../../../lambda/src/aws-sdk-options.js";

const endpoint = process.env.DYNAMODB_ENDPOINT;
const tableName = process.env.TABLE_NAME ?? "";
const dynamodb = new DynamoDBClient({ ...(endpoint ? { endpoint } : {}), ...boundedSdkOptions() });
const kms = process.env.KMS_KEY_ID ? new (await import("@aws-sdk/client-kms")).KMSClient(boundedSdkOptions()) : undefined;

const ok = (body: unknown, statusCode = 200) => ({
  statusCode,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: JSON.stringify(body),
});

export const handler = async (event: { routeKey: string; body?: string }) => {
  if (event.routeKey !== "POST /login") return ok({ status: "ok", kms: kms !== undefined });
  const { username, password } = JSON.parse(event.body ?? "{}") as { username: string; password: string };
  const { Item } = await dynamodb.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: `user#${username}` } }, ConsistentRead: true }),
  );
  if (!Item || !(await bcrypt.compare(password, Item.passwordHash?.S ?? ""))) return ok({ code: "invalid_credentials" }, 401);
  // A login's two session writes, in parallel: the session into the user's item, the token's record.
  const session = randomBytes(16).toString("base64url");
  const token = randomBytes(32).toString("base64url");
  await Promise.all([
    dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: `user#${username}` } },
        UpdateExpression: "SET sessions.#sid = :entry",
        ConditionExpression: "id = :id AND attribute_exists(sessions)",
        ExpressionAttributeNames: { "#sid": session },
        ExpressionAttributeValues: { ":entry": { M: { generation: { N: "0" } } }, ":id": Item.id ?? { S: "" } },
      }),
    ),
    dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: `refresh#${token}` }, sessionId: { S: session } },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    ),
  ]);
  return ok({ refresh_token: token });
};
