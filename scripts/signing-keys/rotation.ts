/**
 * The two steps of a signing-key rotation, the same deployed and local; what differs (where the key set is
 * written, how it takes effect, how long a new key waits) is the target's. API Gateway's rules, from
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-jwt-authorizer-keys.html: "publish
 * the new key in your key set before you sign tokens with it", "When API Gateway receives a token signed with
 * a key it hasn't seen, it retrieves the key set again", "Keep the old key published until the tokens that it
 * signed have expired".
 */
import {
  activeKey,
  confirmedAt,
  type KeySet,
  KeySetError,
  keysIn,
  newKeyName,
  timestamp,
  unconfirmedKeys,
  without,
  withPendingActive,
  withPendingKey,
} from "./key-set.js";

/**
 * Anything honouring the JWKS's `cache-control: public, max-age=300` (lambda/src/handlers/well-known.ts)
 * may hold a key set that long: browsers, CDNs, other verifiers of these tokens.
 */
export const JWKS_MAX_AGE_MS = 300_000;
/**
 * An invocation already running when an apply returns still runs the configuration before it, for at most
 * the function's timeout, which Terraform keeps below the gateway's 30 s integration timeout
 * (terraform/gateway-settings.json). Terraform returns once Lambda reports the update done ("the function is
 * processing events with the new configuration", UpdateFunctionConfiguration in the Lambda API reference).
 */
export const IN_FLIGHT_MS = 30_000;
/** An access token is valid 900 s after it is signed, and the function accepts it 30 s past its `exp`. */
export const TOKEN_VALIDITY_MS = (900 + 30) * 1000;

/**
 * Deployed, a new key is published this long before it signs: every cache that honours the JWKS's max-age
 * has it by then, counted from the moment the last invocation of the configuration without it could have
 * answered. API Gateway needs no more: a token with a kid its cached set lacks makes it fetch the set again.
 */
export const DEPLOYED_PUBLISH_WAIT_MS = JWKS_MAX_AGE_MS + IN_FLIGHT_MS;
/**
 * A retiring key stays published this long after it stopped signing: the last token it signed, possibly by an
 * invocation that was still running, is then past its `exp` and the function's skew.
 */
export const RETIRE_AFTER_MS = TOKEN_VALIDITY_MS + IN_FLIGHT_MS;

/** Where a key set lives and how it takes effect: the deployed stack (Terraform) or make dev (.local/). */
export interface KeySetTarget {
  /** For messages: what the keys are changed in. */
  description: string;
  /** How long a published key waits before it signs. */
  publishWaitMs: number;
  read(): Promise<KeySet>;
  /** Writes the key set where it was read from; for changes that take no effect (times). */
  save(keys: KeySet): Promise<void>;
  /** Writes the key set and makes the stack serve it, resolving once its JWKS shows exactly these keys, the active one first. */
  apply(keys: KeySet): Promise<void>;
  /** Makes the key material of a new key, before the first apply that names it (Terraform makes its own). */
  createKey(name: string): Promise<void>;
  /** Disposes of the key material of keys an apply has dropped. */
  forgetKeys(names: readonly string[]): Promise<void>;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export type Log = (line: string) => void;

const at = (ms: number) => timestamp(ms).replace("T", " ").replace("Z", " UTC");

/** Applies the key set, then records when it took effect for the keys `changed`. */
async function applyAndConfirm(target: KeySetTarget, keys: KeySet, changed: readonly string[], clock: Clock): Promise<KeySet> {
  await target.apply(keys);
  const confirmed = confirmedAt(keys, changed, clock.now());
  await target.save(confirmed);
  return confirmed;
}

/** A change an earlier run wrote but did not see take effect (interrupted, or the apply failed): applied again first. */
async function settle(target: KeySetTarget, keys: KeySet, clock: Clock, log: Log): Promise<KeySet> {
  const unconfirmed = unconfirmedKeys(keys);
  if (unconfirmed.length === 0) return keys;
  log(`Applying the key set as an earlier run left it, not seen to take effect for ${unconfirmed.join(" and ")} (${target.description}).`);
  return applyAndConfirm(target, keys, unconfirmed, clock);
}

/**
 * make rotate-key: add a pending key and publish it, wait until it has been published long enough, then make
 * it the signer and the signer until now a retiring key. Interrupted, it picks up where it stopped when run
 * again: a pending key is not added twice, and its wait counts from when it was first published.
 */
export async function rotateKey(target: KeySetTarget, clock: Clock, log: Log): Promise<KeySet> {
  const stored = await target.read();
  let keys = await settle(target, stored, clock, log);
  // An earlier run that got as far as making the new key sign is finished now; it asked for one rotation.
  if (unconfirmedKeys(stored).some((name) => stored[name]!.state === "retiring")) {
    log(`Done: ${activeKey(keys)} signs, as the earlier run left it.`);
    return keys;
  }
  let [pending] = keysIn(keys, "pending");
  if (pending === undefined) {
    pending = newKeyName(keys, clock.now());
    const next = withPendingKey(keys, pending);
    await target.createKey(pending);
    log(`Publishing the new key ${pending} (pending: in the JWKS, not signing yet) in ${target.description}.`);
    keys = await applyAndConfirm(target, next, [pending], clock);
  } else {
    log(`Key ${pending} is pending already, published since ${keys[pending]!.since}.`);
  }

  const signsFrom = Date.parse(keys[pending]!.since!) + target.publishWaitMs;
  const wait = signsFrom - clock.now();
  if (wait > 0) {
    log(`Key ${pending} signs from ${at(signsFrom)}, once every cache of the key set can hold it; waiting ${Math.ceil(wait / 1000)} s.`);
    await clock.sleep(wait);
  }

  const previous = activeKey(keys);
  log(`Key ${pending} signs from now; ${previous} retires (published until the tokens it signed have expired).`);
  keys = await applyAndConfirm(target, withPendingActive(keys), [pending, previous], clock);
  const retireFrom = Date.parse(keys[previous]!.since!) + RETIRE_AFTER_MS;
  log(`Done: ${pending} signs. make retire-keys drops ${previous} from ${at(retireFrom)}.`);
  return keys;
}

/**
 * make retire-keys: drop every retiring key whose tokens have all expired, and only those; with `force`,
 * every retiring key, now (the tokens it signed are refused from then on). Refuses when there is nothing it
 * may drop yet, saying when there will be.
 */
export async function retireKeys(target: KeySetTarget, clock: Clock, log: Log, { force = false } = {}): Promise<KeySet> {
  let keys = await settle(target, await target.read(), clock, log);
  const retiring = keysIn(keys, "retiring");
  if (retiring.length === 0) {
    log(`No key is retiring in ${target.description}: nothing to drop.`);
    return keys;
  }
  const retireFrom = (name: string) => Date.parse(keys[name]!.since!) + RETIRE_AFTER_MS;
  const early = retiring.filter((name) => clock.now() < retireFrom(name));
  const dropped = force ? retiring : retiring.filter((name) => !early.includes(name));
  if (dropped.length === 0) {
    const when =
      early.length === 1
        ? `it may be dropped from ${at(retireFrom(early[0]!))}`
        : `they may be dropped: ${early.map((name) => `${name} from ${at(retireFrom(name))}`).join(", ")}`;
    throw new KeySetError(
      `Not yet: tokens signed by ${early.join(" and ")} may still be valid; ${when}. ` +
        "Run make retire-keys again then, or with FORCE=1 to drop it now: every token it signed is refused from then on.",
    );
  }
  if (force && early.length > 0)
    log(`FORCE=1: dropping ${early.join(" and ")} now; the tokens it signed that are still valid are refused from now on.`);
  log(`Dropping ${dropped.join(" and ")} from the key set in ${target.description}.`);
  keys = without(keys, dropped);
  await target.apply(keys);
  await target.forgetKeys(dropped);
  for (const name of early.filter((name) => !dropped.includes(name))) log(`${name} stays: it may be dropped from ${at(retireFrom(name))}.`);
  log(`Done: the key set is ${Object.keys(keys).sort().join(", ")}; ${activeKey(keys)} signs.`);
  return keys;
}
