/**
 * `make plan`, `make deploy`, `make destroy`: Terraform against your AWS account, after checking that
 * terraform and AWS credentials are there, with the state backend from terraform/backend.hcl (S3) or,
 * without one, local state in terraform/terraform.tfstate.
 *
 * Environment: AUTO_APPROVE=1 skips Terraform's confirmation prompts; TF_VAR_* set variables
 * (e.g. TF_VAR_aws_region, TF_VAR_cors_allow_origins='["https://app.example.com"]').
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KMSClient } from "@aws-sdk/client-kms";
import { printSavedPlanReview } from "../plan-review/saved-plan.js";
import { isAtLeast, MINIMUM_TERRAFORM, TERRAFORM_BUILD_DIR, TERRAFORM_DIR, terraformEnv, terraformVersion } from "./lib/terraform.js";
import { runSmoke } from "./smoke.js";

const BACKEND_CONFIG = join(TERRAFORM_DIR, "backend.hcl");
const LOCAL_BACKEND_OVERRIDE = join(TERRAFORM_DIR, "backend_override.tf");
const LOCAL_STATE = join(TERRAFORM_DIR, "terraform.tfstate");
/** make plan's saved plan (build/ is git-ignored), reviewed after planning. */
const SAVED_PLAN = join(TERRAFORM_BUILD_DIR, "make-plan.tfplan");
const autoApprove = process.env.AUTO_APPROVE === "1" || process.env.AUTO_APPROVE === "true";

class Stop extends Error {}

function fail(message: string): never {
  throw new Stop(message);
}

/** Terraform on PATH, new enough; AWS credentials and a region the SDK (and so the provider) can find. */
async function preflight(command: string): Promise<void> {
  const version = terraformVersion();
  if (version === undefined) {
    fail(
      `make ${command} needs Terraform ${MINIMUM_TERRAFORM.join(".")} or newer on PATH, and there is none.\nInstall it: https://developer.hashicorp.com/terraform/install`,
    );
  }
  if (!isAtLeast(version, MINIMUM_TERRAFORM))
    fail(`make ${command} needs Terraform ${MINIMUM_TERRAFORM.join(".")} or newer; this is ${version}.`);

  const client = new KMSClient({});
  try {
    const credentials = await Promise.race([
      client.config.credentials(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out after 10 s")), 10_000).unref()),
    ]);
    if (!credentials.accessKeyId) throw new Error("empty credentials");
  } catch (error) {
    fail(
      [
        `make ${command} needs AWS credentials for the account to deploy to, and none were found`,
        `(${error instanceof Error ? error.message.split("\n")[0] : String(error)}).`,
        "Set AWS_PROFILE to a configured profile (aws configure, or aws sso login --profile <name>),",
        "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), then run it again.",
      ].join("\n"),
    );
  } finally {
    client.destroy();
  }
  if (!process.env.TF_VAR_aws_region) {
    const region = await client.config.region().catch(() => undefined);
    if (!region) fail(`make ${command} needs an AWS region: set AWS_REGION (or TF_VAR_aws_region, or region in your AWS profile).`);
  }
}

function run(args: string[], { capture = false } = {}): string {
  const result = spawnSync("terraform", args, {
    cwd: TERRAFORM_DIR,
    env: terraformEnv(),
    stdio: capture ? ["inherit", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
  });
  if (result.status !== 0) fail(`terraform ${args[0]} failed (exit ${result.status ?? result.signal}).`);
  return result.stdout ?? "";
}

/** terraform init with the S3 backend from backend.hcl, or local state (with a notice) without one. */
function init(): void {
  if (existsSync(BACKEND_CONFIG)) {
    rmSync(LOCAL_BACKEND_OVERRIDE, { force: true });
    // Local state from a first try is offered for migration into S3 (Terraform asks before copying).
    const migrate = existsSync(LOCAL_STATE) ? ["-migrate-state"] : [];
    console.log("State: S3 backend from terraform/backend.hcl (locked with use_lockfile).");
    run(["init", "-backend-config=backend.hcl", ...migrate]);
    return;
  }
  writeFileSync(
    LOCAL_BACKEND_OVERRIDE,
    "# Written by make plan/deploy/destroy because terraform/backend.hcl does not exist: local state.\n" +
      "# Remove it after creating backend.hcl (see backend.hcl.example); the next make deploy offers to migrate the state.\n" +
      'terraform {\n  backend "local" {}\n}\n',
  );
  console.warn(
    [
      "",
      "NOTICE: no terraform/backend.hcl, so the state stays LOCAL in terraform/terraform.tfstate.",
      "That is fine for a first try, but it is not shared, not locked across machines, and lost with this",
      "checkout. For real use copy terraform/backend.hcl.example to terraform/backend.hcl (an S3 bucket).",
      "",
    ].join("\n"),
  );
  run(["init", "-reconfigure"]);
}

const approve = autoApprove ? ["-auto-approve"] : [];

async function main(command: string | undefined, target = process.argv[3]): Promise<void> {
  if (command === "check" && target) {
    await preflight(target); // make runs this before the build, to fail fast
    return;
  }
  if (command !== "plan" && command !== "deploy" && command !== "destroy") {
    fail("usage: tsx scripts/terraform/stack.ts plan|deploy|destroy|check <command>");
  }
  await preflight(command);
  init();

  if (command === "plan") {
    mkdirSync(TERRAFORM_BUILD_DIR, { recursive: true });
    run(["plan", "-input=false", `-out=${SAVED_PLAN}`]);
    // The same review CI posts on pull requests (scripts/plan-review); informative here, so the exit stays 0.
    printSavedPlanReview(SAVED_PLAN, { cwd: TERRAFORM_DIR, env: terraformEnv() });
    return;
  }

  if (command === "deploy") {
    run(["apply", ...approve]);
    const apiUrl = run(["output", "-raw", "api_url"], { capture: true }).trim();
    console.log(`\napi_url = ${apiUrl}\n`);
    await runSmoke(apiUrl);
    return;
  }

  console.warn(
    [
      "",
      "make destroy deletes the API, the function, the log groups and the users TABLE WITH ALL ITS DATA,",
      "and schedules the signing key for deletion (recoverable during its deletion window).",
      "Step 1 turns the table's deletion protection off; step 2 destroys everything.",
      "",
    ].join("\n"),
  );
  const unprotected = ["-var", "table_deletion_protection=false"];
  run(["apply", "-target=module.table.aws_dynamodb_table.this", ...unprotected, ...approve]);
  run(["destroy", ...unprotected, ...approve]);
}

try {
  await main(process.argv[2]);
} catch (error) {
  if (!(error instanceof Stop)) throw error;
  console.error(`\n${error.message}`);
  process.exitCode = 1;
}
