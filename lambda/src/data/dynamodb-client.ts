import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { boundedSdkOptions } from "../aws-sdk-options.js";

/** Bounded timeouts, as every AWS client here (see aws-sdk-options.ts); tests on a busy machine may allow more. */
export function createDynamoDbClient(
  options: Pick<DynamoDBClientConfig, "endpoint" | "region" | "credentials"> = {},
  bounds: { requestTimeoutMs?: number } = {},
): DynamoDBClient {
  return new DynamoDBClient({
    ...options,
    ...boundedSdkOptions(bounds),
  });
}

/** Awaits a conditional write: true when it was made, false when its condition did not hold. */
export async function conditionalWrite(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}
