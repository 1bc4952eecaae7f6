/**
 * The signing key set as `make rotate-key` and `make retire-keys` see it, deployed
 * (terraform/signing-keys.auto.tfvars.json) and local (.local/signing-keys.json) alike: key names mapped to
 * a state and the time the key entered it. The rules here are Terraform's validations of `signing_keys`
 * (terraform/variables.tf), checked before anything is written.
 */

/**
 * - `active`: the one key that signs (and is published);
 * - `pending`: published, not signing yet: a new key waits here until every cache of the key set can have it;
 * - `retiring`: published, not signing any more: it stays until every token it signed has expired.
 */
export const KEY_STATES = ["active", "pending", "retiring"] as const;
export type KeyState = (typeof KEY_STATES)[number];

export interface SigningKey {
  state: KeyState;
  /**
   * When the key entered its state, as it took effect (RFC 3339, UTC): for a pending key when the stack
   * first served it, for a retiring key when it stopped signing. null until a change has been applied.
   */
  since: string | null;
}

export type KeySet = Record<string, SigningKey>;

/**
 * At most four keys: a rotation needs three at once (the retiring, the active and a pending one), and the
 * function's environment carries every public key that does not sign (392 bytes each) in Lambda's 4 KB for
 * all variables (test/terraform/signing-keys.test.ts measures the environment at this limit).
 */
export const MAX_KEYS = 4;
/** A name becomes part of the key's KMS alias (`<stack>-token-signing-<name>`). */
export const KEY_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A key set that breaks a rule, or a step that cannot be taken; the message says what to do. */
export class KeySetError extends Error {
  override name = "KeySetError";
}

/** `value` as a key set, or a KeySetError naming the first rule it breaks (`where` names its file). */
export function parseKeySet(value: unknown, where: string): KeySet {
  const fail = (problem: string): never => {
    throw new KeySetError(`${where}: ${problem}`);
  };
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail("signing_keys must be an object of keys by name");
  const keys: KeySet = {};
  for (const [name, key] of Object.entries(value as Record<string, unknown>)) {
    if (!KEY_NAME.test(name)) fail(`key name "${name}" must be 1 to 32 characters of a-z 0-9 -, starting with a letter or digit`);
    const { state, since, ...rest } = (key ?? {}) as Record<string, unknown>;
    if (Object.keys(rest).length > 0) fail(`key "${name}" has fields other than state and since: ${Object.keys(rest).join(", ")}`);
    if (!KEY_STATES.includes(state as KeyState)) fail(`key "${name}" must have state active, pending or retiring`);
    const known = since === undefined || since === null ? null : since;
    if (known !== null && (typeof known !== "string" || !RFC3339_UTC.test(known) || Number.isNaN(Date.parse(known)))) {
      fail(`key "${name}" must have since null or a UTC time such as 2026-01-31T12:00:00Z`);
    }
    keys[name] = { state: state as KeyState, since: known as string | null };
  }
  const active = Object.values(keys).filter((key) => key.state === "active").length;
  if (active !== 1) fail(`signing_keys must have exactly one active key (the one that signs), not ${active}`);
  if (Object.keys(keys).length > MAX_KEYS) fail(`signing_keys may hold at most ${MAX_KEYS} keys; run make retire-keys first`);
  if (Object.values(keys).filter((key) => key.state === "pending").length > 1) fail("signing_keys may hold at most one pending key");
  return keys;
}

/** The names of the keys in `state`, in name order. */
export function keysIn(keys: KeySet, state: KeyState): string[] {
  return Object.keys(keys)
    .filter((name) => keys[name]!.state === state)
    .sort();
}

export function activeKey(keys: KeySet): string {
  return keysIn(keys, "active")[0]!;
}

/**
 * The keys of a change written but not known to have taken effect (an interrupted run, a failed apply):
 * pending or retiring keys without their time, and with a retiring one, the active key it handed over to.
 * The active key's own time may be unknown for good (the first key's is).
 */
export function unconfirmedKeys(keys: KeySet): string[] {
  const waiting = Object.keys(keys).filter((name) => keys[name]!.since === null && keys[name]!.state !== "active");
  const handedOver = waiting.some((name) => keys[name]!.state === "retiring");
  return [...waiting, ...(handedOver && keys[activeKey(keys)]!.since === null ? [activeKey(keys)] : [])].sort();
}

/** `at` as the key set records it: whole seconds, rounded up (so every wait counted from it is at least as long). */
export function timestamp(at: number): string {
  return new Date(Math.ceil(at / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** The name for a new key made at `at`: its UTC date, with -2, -3, ... when that name is taken. */
export function newKeyName(keys: KeySet, at: number): string {
  const date = new Date(at).toISOString().slice(0, 10);
  for (let n = 1; ; n++) {
    const name = n === 1 ? date : `${date}-${n}`;
    if (!(name in keys)) return name;
  }
}

/** The set with a new pending key, not yet published. */
export function withPendingKey(keys: KeySet, name: string): KeySet {
  if (keysIn(keys, "pending").length > 0) throw new KeySetError(`key ${keysIn(keys, "pending")[0]} is pending already`);
  if (Object.keys(keys).length >= MAX_KEYS) {
    throw new KeySetError(`the key set has ${MAX_KEYS} keys, the most it may hold: run make retire-keys first`);
  }
  return parseKeySet({ ...keys, [name]: { state: "pending", since: null } }, "the new key set");
}

/** The pending key signs; the key that signed until now retires. */
export function withPendingActive(keys: KeySet): KeySet {
  const [pending] = keysIn(keys, "pending");
  if (pending === undefined) throw new KeySetError("no key is pending");
  const next: KeySet = {};
  for (const [name, key] of Object.entries(keys)) {
    if (name === pending) next[name] = { state: "active", since: null };
    else if (key.state === "active") next[name] = { state: "retiring", since: null };
    else next[name] = key;
  }
  return next;
}

/** The keys `names`, whose change has now taken effect, get `at` as their time. */
export function confirmedAt(keys: KeySet, names: readonly string[], at: number): KeySet {
  return Object.fromEntries(
    Object.entries(keys).map(([name, key]) => [name, names.includes(name) ? { ...key, since: timestamp(at) } : key]),
  );
}

export function without(keys: KeySet, names: readonly string[]): KeySet {
  return Object.fromEntries(Object.entries(keys).filter(([name]) => !names.includes(name)));
}

/** A key set file's text, `{"signing_keys": ...}` with the names in order, so a change reads as a small diff. */
export function serialize(keys: KeySet): string {
  const sorted = Object.fromEntries(
    Object.keys(keys)
      .sort()
      .map((name) => [name, keys[name]]),
  );
  return `${JSON.stringify({ signing_keys: sorted }, null, 2)}\n`;
}

/** The key set in a file's text (`where` names the file in errors). */
export function deserialize(text: string, where: string): KeySet {
  let parsed: { signing_keys?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (error) {
    throw new KeySetError(`${where}: not JSON (${(error as Error).message})`);
  }
  return parseKeySet(parsed.signing_keys, where);
}
