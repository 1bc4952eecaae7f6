/**
 * The SDK floor: a handler that creates the AWS SDK clients the function uses, configured the same way
 * (DynamoDB always; KMS when KMS_KEY_ID is set, as the function does), and sends the DynamoDB commands the
 * function sent for the same route (recorded from the warm function, see ../capture.ts, in the file
 * BENCH_PLANS_FILE names) with the same parallelism, plus, for a login, the one bcrypt compare no login can
 * skip, against the hash it read. Bundled like the function, so the cold-start comparison measures our code,
 * not the SDK or the database.
 */
import { readFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import bcrypt from "bcryptjs";
import { boundedSdkOptions } from "../../../lambda/src/aws-sdk-options.js";
import { TABLE } from "../../../lambda/src/data/table.js";
import { createReplayer, type RecordedSend } from "../dynamodb-replay.js";

const endpoint = process.env.DYNAMODB_ENDPOINT;
const dynamodb = new DynamoDBClient({ ...(endpoint ? { endpoint } : {}), ...boundedSdkOptions() });
const kms = process.env.KMS_KEY_ID ? new (await import("@aws-sdk/client-kms")).KMSClient(boundedSdkOptions()) : undefined;
const replayer = createReplayer(dynamodb, TABLE.partitionKey.name);
const plans: Record<string, RecordedSend[][]> = process.env.BENCH_PLANS_FILE
  ? JSON.parse(readFileSync(process.env.BENCH_PLANS_FILE, "utf8"))
  : {};

type Item = { passwordHash?: { S?: string } };

export const handler = async (event: { routeKey: string; body?: string }) => {
  const [first = [], ...later] = plans[event.routeKey] ?? [];
  const replies = (await replayer.wave(first)) as ({ Item?: Item } | undefined)[];
  if (event.routeKey === "POST /login") {
    const { password } = JSON.parse(event.body ?? "{}") as { password: string };
    const hash = replies.find((reply) => reply?.Item?.passwordHash)?.Item?.passwordHash?.S ?? "";
    if (!(await bcrypt.compare(password, hash))) throw new Error("the SDK floor's login compare failed");
  }
  for (const wave of later) await replayer.wave(wave);
  return {
    statusCode: 200,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ status: "ok", kms: kms !== undefined }),
  };
};
