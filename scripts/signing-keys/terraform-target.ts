/**
 * The deployed stack's key set: terraform/signing-keys.auto.tfvars.json (committed: CI applies what it
 * holds), applied with `make deploy`'s Terraform (scripts/terraform/stack.ts apply), then checked against
 * the JWKS the deployed API serves.
 */
import { spawnSync } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT, TERRAFORM_DIR, terraform, terraformEnv } from "../terraform/lib/terraform.js";
import { activeKey, deserialize, type KeySet, KeySetError, parseKeySet, serialize } from "./key-set.js";
import { type Clock, DEPLOYED_PUBLISH_WAIT_MS, type KeySetTarget, type Log } from "./rotation.js";
import { waitUntilServed } from "./served-keys.js";

export const SIGNING_KEYS_TFVARS = join(TERRAFORM_DIR, "signing-keys.auto.tfvars.json");
/** A JWKS fetched through API Gateway, from a function whose update Terraform has just seen complete. */
const SERVED_TIMEOUT_MS = 120_000;

/** What the rotation reads back from the stack after an apply (terraform output). */
export interface StackOutputs {
  apiUrl: string;
  /** Each key's public half, base64 DER (SPKI), by name. */
  publicKeys: Record<string, string>;
}

export interface TerraformTargetOptions {
  clock: Clock;
  log: Log;
  file?: string;
  /** The make target running, for the messages of Terraform's checks. */
  makeTarget?: string;
  /**
   * Runs the reviewed terraform apply (by default `scripts/terraform/stack.ts apply`), allowed to destroy
   * only `allowDestroy`: the KMS keys of the keys the change drops.
   */
  deploy?: (allowDestroy: string[]) => void | Promise<void>;
  outputs?: () => Promise<StackOutputs>;
}

export function terraformTarget({
  clock,
  log,
  file = SIGNING_KEYS_TFVARS,
  makeTarget = "deploy",
  deploy = (allowDestroy) => applyStack(makeTarget, allowDestroy),
  outputs = stackOutputs,
}: TerraformTargetOptions): KeySetTarget {
  const save = (keys: KeySet) => writeFile(file, serialize(parseKeySet(keys, file)));
  return {
    description: "the deployed stack (terraform/signing-keys.auto.tfvars.json)",
    publishWaitMs: DEPLOYED_PUBLISH_WAIT_MS,
    read: async () => deserialize(await readFile(file, "utf8"), file),
    save,
    async apply(keys) {
      // The keys the applied stack has (its outputs, right also when an earlier apply failed) that the set drops.
      const dropped = Object.keys((await outputs()).publicKeys).filter((name) => !(name in keys));
      await save(keys);
      await deploy(dropped.map(signingKeyAddress));
      const { apiUrl, publicKeys } = await outputs();
      const active = activeKey(keys);
      const names = [active, ...Object.keys(keys).filter((name) => name !== active)];
      const expected = names.map((name) => {
        const der = publicKeys[name];
        if (der === undefined) throw new Error(`terraform output signing_public_keys has no key ${name}`);
        return createPublicKey({ key: Buffer.from(der, "base64"), format: "der", type: "spki" });
      });
      await waitUntilServed(`${apiUrl}/.well-known/jwks.json`, expected, { clock, timeoutMs: SERVED_TIMEOUT_MS });
      log(`${apiUrl} serves the key set. Commit terraform/signing-keys.auto.tfvars.json: CI applies what it holds.`);
    },
    createKey: async () => {},
    forgetKeys: async () => {},
  };
}

/** The KMS key of key `name` in the plan (terraform/main.tf calls modules/signing_key once per key). */
export const signingKeyAddress = (name: string) => `module.signing_key[${JSON.stringify(name)}].aws_kms_key.this`;

function applyStack(makeTarget: string, allowDestroy: string[]): void {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/terraform/stack.ts", "apply", makeTarget, ...allowDestroy], {
    cwd: REPO_ROOT,
    stdio: "inherit",
  });
  if (result.status !== 0)
    throw new KeySetError(
      `terraform apply failed (exit ${result.status ?? result.signal}); the key set file keeps the change, so running the same make target again applies it`,
    );
}

async function stackOutputs(): Promise<StackOutputs> {
  const { stdout } = await terraform(["output", "-json"], { cwd: TERRAFORM_DIR, env: terraformEnv() });
  const outputs = JSON.parse(stdout) as Record<string, { value: unknown }>;
  return { apiUrl: String(outputs.api_url?.value), publicKeys: (outputs.signing_public_keys?.value ?? {}) as Record<string, string> };
}
