/**
 * Whether a stack serves a key set: its JWKS, compared by key material (the RSA modulus), so no `kid` needs
 * computing here. The function publishes the signing key first (lambda/src/handlers/well-known.ts), so the
 * first key says which one signs; the others may come in any order.
 */
import type { KeyObject } from "node:crypto";
import { KeySetError } from "./key-set.js";
import type { Clock } from "./rotation.js";

export function modulusOf(publicKey: KeyObject): string {
  const { n } = publicKey.export({ format: "jwk" });
  if (!n) throw new Error("not an RSA public key");
  return n;
}

/** True when `served` (the JWKS's keys) are exactly `expected`, the first of each the same. */
function matches(served: unknown, expected: readonly string[]): boolean {
  if (!Array.isArray(served)) return false;
  const moduli = served.map((key) => (key as { n?: unknown })?.n);
  if (moduli.length !== expected.length || moduli[0] !== expected[0]) return false;
  return [...moduli].sort().join() === [...expected].sort().join();
}

export type Served = "served" | "not running";

/**
 * Polls `jwksUrl` until it publishes exactly `expected` (public keys, the signing one first), or fails after
 * `timeoutMs`. When `notRunningIfRefused` and the very first request finds nothing listening, nothing serves
 * the keys at all (make dev is stopped) and there is nothing to wait for.
 */
export async function waitUntilServed(
  jwksUrl: string,
  expected: readonly KeyObject[],
  { clock, timeoutMs, notRunningIfRefused = false }: { clock: Clock; timeoutMs: number; notRunningIfRefused?: boolean },
): Promise<Served> {
  const moduli = expected.map(modulusOf);
  const deadline = clock.now() + timeoutMs;
  let last = "no answer yet";
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(jwksUrl, { signal: AbortSignal.timeout(5000), headers: { "cache-control": "no-cache" } });
      if (!response.ok) last = `status ${response.status}`;
      else if (matches(((await response.json()) as { keys?: unknown }).keys, moduli)) return "served";
      else last = "a JWKS with other keys";
    } catch (error) {
      const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (attempt === 0 && notRunningIfRefused && code === "ECONNREFUSED") return "not running";
      last = (error as Error).message;
    }
    if (clock.now() >= deadline) {
      throw new KeySetError(`${jwksUrl} did not publish the new key set within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
    }
    await clock.sleep(250);
  }
}
