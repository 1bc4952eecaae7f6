import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { AWS_SDK_TIMEOUTS, boundedSdkOptions } from "../aws-sdk-options.js";

/** The same bounded timeouts as every AWS client here (see aws-sdk-options.ts). */
export const DYNAMODB_TIMEOUTS = AWS_SDK_TIMEOUTS;

export function createDynamoDbClient(options: Pick<DynamoDBClientConfig, "endpoint" | "region" | "credentials"> = {}): DynamoDBClient {
  return new DynamoDBClient({
    ...options,
    ...boundedSdkOptions(),
  });
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}
