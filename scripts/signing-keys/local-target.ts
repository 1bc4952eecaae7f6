/** The key set of a running `make dev`: written to its local folder, which the local stack follows (scripts/lib/local-stack.ts). */
import { REFETCH_INTERVAL_MS } from "../gateway-emulator/issuer-keys.js";
import { createLocalKey, ensureLocalKeySet, localPublicKeys, readLocalKeySet, removeLocalKeys, writeLocalKeySet } from "./local-keys.js";
import type { Clock, KeySetTarget, Log } from "./rotation.js";
import { waitUntilServed } from "./served-keys.js";

/** make dev redeploys within a second or two of the file's change; past this something is wrong. */
const SERVED_TIMEOUT_MS = 30_000;

/**
 * Locally the one cache of the key set is the emulator's authorizer, which fetches it again for an unknown
 * kid at most once per REFETCH_INTERVAL_MS: a key published that long before it signs is found at the
 * latest by the first token that names it.
 */
export function localTarget({ localDir, url, clock, log }: { localDir: string; url: string; clock: Clock; log: Log }): KeySetTarget {
  return {
    description: `make dev's ${localDir}`,
    publishWaitMs: REFETCH_INTERVAL_MS,
    async read() {
      await ensureLocalKeySet(localDir);
      return readLocalKeySet(localDir);
    },
    save: (keys) => writeLocalKeySet(localDir, keys),
    async apply(keys) {
      await writeLocalKeySet(localDir, keys);
      const served = await waitUntilServed(`${url}/.well-known/jwks.json`, await localPublicKeys(localDir, keys), {
        clock,
        timeoutMs: SERVED_TIMEOUT_MS,
        notRunningIfRefused: true,
      });
      if (served === "not running") log(`No make dev answers at ${url}: the next one serves this key set.`);
      else log(`${url} serves the key set.`);
    },
    createKey: (name) => createLocalKey(localDir, name),
    forgetKeys: (names) => removeLocalKeys(localDir, names),
  };
}
