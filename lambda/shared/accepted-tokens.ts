/**
 * Tokens already verified and accepted, each remembered until a time its verifier chose: the moment the
 * verifier itself would start refusing it (its expiry, plus any clock skew it allows). A client presents the same access token on every call for its lifetime, and the answer of
 * an RSA signature check (about 100 µs of CPU through WebCrypto) cannot change before then. Bounded: past
 * `limit` tokens the oldest is forgotten.
 */
export interface AcceptedTokens<T> {
  recall(token: string): T | undefined;
  remember(token: string, value: T, validUntilMs: number): void;
}

export function createAcceptedTokens<T>({ limit, now }: { limit: number; now: () => number }): AcceptedTokens<T> {
  const entries = new Map<string, { value: T; validUntilMs: number }>();
  return {
    recall(token) {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      if (now() < entry.validUntilMs) return entry.value;
      entries.delete(token);
      return undefined;
    },
    remember(token, value, validUntilMs) {
      if (!entries.has(token) && entries.size >= limit) entries.delete(entries.keys().next().value!);
      entries.set(token, { value, validUntilMs });
    },
  };
}
