/**
 * Tight timeouts and one retry for every AWS SDK client the Lambda uses: a request whose dependency is gone
 * answers 503 within about five seconds instead of hanging until the gateway gives up.
 */
export const AWS_SDK_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 2000, maxAttempts: 2 } as const;

/** The client options that apply {@link AWS_SDK_TIMEOUTS} (the request timeout may be set otherwise). */
export function boundedSdkOptions({ requestTimeoutMs = AWS_SDK_TIMEOUTS.requestTimeout }: { requestTimeoutMs?: number } = {}) {
  return {
    maxAttempts: AWS_SDK_TIMEOUTS.maxAttempts,
    requestHandler: {
      connectionTimeout: AWS_SDK_TIMEOUTS.connectionTimeout,
      requestTimeout: requestTimeoutMs,
      // Without it the SDK only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
    },
  };
}
