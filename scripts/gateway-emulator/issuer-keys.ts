/**
 * The issuer's key set as the JWT authorizer holds it: found through the discovery document's `jwks_uri`,
 * cached, fetched again when the cache is too old or a token names a `kid` it lacks, at most once per
 * REFETCH_INTERVAL_MS for the latter. API Gateway documents the rules, not the interval:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-jwt-authorizer-keys.html ("When API
 * Gateway receives a token signed with a key it hasn't seen, it retrieves the key set again"; keys cached
 * "for up to 1 hour on a best-effort basis") and, for HTTP APIs,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html ("API Gateway
 * can cache the public key for two hours").
 */
import { createLocalJWKSet, type JSONWebKeySet } from "jose";
import { type AcceptedTokens, createAcceptedTokens } from "../../lambda/shared/accepted-tokens.js";

/** API Gateway's documented limit for each of the discovery and JWKS fetches. */
const FETCH_TIMEOUT_MS = 1500;
/** The longest API Gateway documents keeping keys (HTTP APIs: two hours); past it the set is fetched again. */
export const KEY_CACHE_MS = 2 * 60 * 60 * 1000;
/**
 * At most one fetch per this interval for tokens with an unknown `kid`, so a flood of made-up kids costs the
 * issuer one request per interval. AWS documents no interval; jose's own default is 30 s. 5 s keeps a local
 * rotation (which waits it out before a new key signs) within seconds.
 */
export const REFETCH_INTERVAL_MS = 5000;
/** How many accepted tokens each key set remembers; past it the oldest is forgotten. */
const ACCEPTED_TOKENS = 10_000;

/** One fetched key set, with the tokens verified by its keys: a new key set starts with none remembered. */
export interface KeySnapshot<T> {
  verificationKey: ReturnType<typeof createLocalJWKSet>;
  accepted: AcceptedTokens<T>;
}

export class KeysUnavailable extends Error {}

export interface IssuerKeys<T> {
  /** The cached key set while it is younger than KEY_CACHE_MS, else a fresh one (which may throw KeysUnavailable). */
  current(): Promise<KeySnapshot<T>>;
  /** For a token whose kid the cached set lacks: a fresh set, or undefined when the last fetch was too recent. */
  refetchForUnknownKid(): Promise<KeySnapshot<T> | undefined>;
}

export function createIssuerKeys<T>({ issuer, now }: { issuer: string; now: () => number }): IssuerKeys<T> {
  let cached: (KeySnapshot<T> & { fetchedAt: number }) | undefined;
  let lastFetchAt = Number.NEGATIVE_INFINITY;
  let fetching: Promise<KeySnapshot<T>> | undefined;

  /** One fetch at a time; requests arriving meanwhile share it. A failed fetch leaves the cached set as it was. */
  function fetchAgain(): Promise<KeySnapshot<T>> {
    fetching ??= (async () => {
      lastFetchAt = now();
      try {
        const jwks = await fetchKeySet(issuer);
        cached = {
          verificationKey: createLocalJWKSet(jwks),
          accepted: createAcceptedTokens<T>({ limit: ACCEPTED_TOKENS, now }),
          fetchedAt: now(),
        };
        return cached;
      } finally {
        fetching = undefined;
      }
    })();
    return fetching;
  }

  return {
    async current() {
      if (cached && now() - cached.fetchedAt < KEY_CACHE_MS) return cached;
      return fetchAgain();
    },
    async refetchForUnknownKid() {
      if (fetching) return fetching;
      if (now() - lastFetchAt < REFETCH_INTERVAL_MS) return undefined;
      return fetchAgain();
    },
  };
}

async function fetchKeySet(issuer: string): Promise<JSONWebKeySet> {
  const discovery = await fetchJson(`${issuer}/.well-known/openid-configuration`, "discovery");
  const jwksUri = (discovery as { jwks_uri?: unknown }).jwks_uri;
  if (typeof jwksUri !== "string") throw new KeysUnavailable("discovery document has no jwks_uri");
  const jwks = (await fetchJson(jwksUri, "JWKS")) as { keys?: unknown };
  if (!Array.isArray(jwks.keys)) throw new KeysUnavailable("the JWKS has no keys array");
  return jwks as JSONWebKeySet;
}

async function fetchJson(url: string, what: string): Promise<unknown> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new KeysUnavailable(`${what} answered ${response.status}`);
    return await response.json();
  } catch (error) {
    if (error instanceof KeysUnavailable) throw error;
    throw new KeysUnavailable(`${what} could not be fetched: ${(error as Error).message}`);
  }
}
