/**
 * The local stand-in for the stack's KMS keys: the key set in <local dir>/signing-keys.json (the same shape
 * as terraform/signing-keys.auto.tfvars.json) and one RSA private key per key in
 * <local dir>/signing-keys/<name>.pem. The local stack gives the function what Terraform gives it in AWS:
 * the active key to sign with, and the other keys' public halves only.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateRsaPrivateKeyPem } from "../lib/rsa-key.js";
import { activeKey, deserialize, type KeySet, parseKeySet, serialize } from "./key-set.js";

export const KEY_SET_FILE = "signing-keys.json";
const KEYS_DIR = "signing-keys";
/** Where the one local key lived before key sets; it becomes the first key of the set. */
const LEGACY_KEY_FILE = "signing-key.pem";
/** The first key's name, here and in terraform/signing-keys.auto.tfvars.json. */
export const INITIAL_KEY = "initial";

export const keySetPath = (localDir: string) => join(localDir, KEY_SET_FILE);
export const keyFile = (localDir: string, name: string) => join(localDir, KEYS_DIR, `${name}.pem`);

/** The key set of `localDir`, made on first use: one active key, the folder's old signing-key.pem if it has one. */
export async function ensureLocalKeySet(localDir: string): Promise<void> {
  if (existsSync(keySetPath(localDir))) return;
  await mkdir(join(localDir, KEYS_DIR), { recursive: true, mode: 0o700 });
  const initial = keyFile(localDir, INITIAL_KEY);
  const legacy = join(localDir, LEGACY_KEY_FILE);
  // Tokens signed with the old key keep verifying: it is the same key, under its new name.
  if (!existsSync(initial) && existsSync(legacy)) await rename(legacy, initial);
  if (!existsSync(initial)) await createLocalKey(localDir, INITIAL_KEY);
  try {
    await writeFile(keySetPath(localDir), serialize({ [INITIAL_KEY]: { state: "active", since: null } }), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error; // made meanwhile by another process
  }
}

export async function readLocalKeySet(localDir: string): Promise<KeySet> {
  const path = keySetPath(localDir);
  return deserialize(await readFile(path, "utf8"), path);
}

/** Replaces the file in one step (a rename), so the running stack never reads half of it. */
export async function writeLocalKeySet(localDir: string, keys: KeySet): Promise<void> {
  const path = keySetPath(localDir);
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, serialize(parseKeySet(keys, path)));
  await rename(partial, path);
}

/** A new private key, readable by this user only; never overwrites one. */
export async function createLocalKey(localDir: string, name: string): Promise<void> {
  await mkdir(join(localDir, KEYS_DIR), { recursive: true, mode: 0o700 });
  await writeFile(keyFile(localDir, name), generateRsaPrivateKeyPem(), { mode: 0o600, flag: "wx" });
}

export async function removeLocalKeys(localDir: string, names: readonly string[]): Promise<void> {
  await Promise.all(names.map((name) => rm(keyFile(localDir, name), { force: true })));
}

/** A key's public half, from its private key file. */
export async function localPublicKey(localDir: string, name: string): Promise<KeyObject> {
  return createPublicKey(createPrivateKey(await readFile(keyFile(localDir, name), "utf8")));
}

/** The public halves of the set, the active key first, then the others by name: the order the JWKS publishes them in. */
export async function localPublicKeys(localDir: string, keys: KeySet): Promise<KeyObject[]> {
  const active = activeKey(keys);
  const others = Object.keys(keys)
    .filter((name) => name !== active)
    .sort();
  return Promise.all([active, ...others].map((name) => localPublicKey(localDir, name)));
}

/** The function's key configuration for the key set in `localDir`: what terraform/main.tf sets in AWS. */
export async function localKeyEnvironment(localDir: string): Promise<Record<string, string>> {
  const keys = await readLocalKeySet(localDir);
  const [, ...others] = await localPublicKeys(localDir, keys);
  const der = others.map((key) => key.export({ type: "spki", format: "der" }).toString("base64"));
  return {
    SIGNING_KEY_FILE: keyFile(localDir, activeKey(keys)),
    ...(der.length > 0 ? { OTHER_PUBLIC_KEYS: der.join(",") } : {}),
  };
}
