/**
 * `make rotate-key` and `make retire-keys`: against a running make dev (LOCAL_DIR, default .local; PORT,
 * default 3000) or, with AWS=1, the deployed stack through Terraform. FORCE=1 lets retire-keys drop keys whose
 * tokens may still be valid.
 *
 *   tsx scripts/signing-keys/cli.ts rotate|retire
 */
import { resolve } from "node:path";
import { KeySetError } from "./key-set.js";
import { localTarget } from "./local-target.js";
import { type Clock, retireKeys, rotateKey } from "./rotation.js";
import { terraformTarget } from "./terraform-target.js";

const flag = (name: string) => ["1", "true"].includes(process.env[name] ?? "");
const clock: Clock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
const log = (line: string) => console.log(line);

const command = process.argv[2];

function target() {
  if (flag("AWS")) return terraformTarget({ clock, log, makeTarget: command === "rotate" ? "rotate-key" : "retire-keys" });
  const port = process.env.PORT ?? "3000";
  return localTarget({ localDir: resolve(process.env.LOCAL_DIR ?? ".local"), url: `http://127.0.0.1:${port}`, clock, log });
}

try {
  if (command === "rotate") await rotateKey(target(), clock, log);
  else if (command === "retire") await retireKeys(target(), clock, log, { force: flag("FORCE") });
  else throw new KeySetError("usage: tsx scripts/signing-keys/cli.ts rotate|retire");
} catch (error) {
  console.error(`\n${error instanceof KeySetError ? error.message : ((error as Error).stack ?? String(error))}`);
  process.exitCode = 1;
}
