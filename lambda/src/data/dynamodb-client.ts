import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";

/**
 * Tight timeouts and one retry: a request whose database is gone answers 503 within about five seconds
 * instead of hanging until the gateway gives up.
 */
export const DYNAMODB_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 2000, maxAttempts: 2 } as const;

export function createDynamoDbClient(options: Pick<DynamoDBClientConfig, "endpoint" | "region" | "credentials"> = {}): DynamoDBClient {
  return new DynamoDBClient({
    ...options,
    maxAttempts: DYNAMODB_TIMEOUTS.maxAttempts,
    requestHandler: {
      connectionTimeout: DYNAMODB_TIMEOUTS.connectionTimeout,
      requestTimeout: DYNAMODB_TIMEOUTS.requestTimeout,
    },
  });
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}
