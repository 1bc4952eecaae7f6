import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { boundedSdkOptions } from "../aws-sdk-options.js";

/** Bounded timeouts, as every AWS client here (see aws-sdk-options.ts). */
export function createDynamoDbClient(options: Pick<DynamoDBClientConfig, "endpoint" | "region" | "credentials"> = {}): DynamoDBClient {
  return new DynamoDBClient({
    ...options,
    ...boundedSdkOptions(),
  });
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}
