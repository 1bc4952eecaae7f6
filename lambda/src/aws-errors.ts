/**
 * Whether an error from an AWS SDK call means the dependency is out of reach for now (throttled, down,
 * timing out, unreachable), so the client should retry later, rather than a bug.
 */
const UNAVAILABLE_NAMES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "LimitExceededException",
  "InternalServerError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "KMSInternalException",
  "DependencyTimeoutException",
  "KeyUnavailableException",
]);

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, $metadata } = error as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
  return UNAVAILABLE_NAMES.has(error.name) || (code !== undefined && NETWORK_CODES.has(code)) || ($metadata?.httpStatusCode ?? 0) >= 500;
}
