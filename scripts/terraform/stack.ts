/**
 * `make plan`, `make deploy`, `make destroy`: Terraform against your AWS account, after checking that
 * terraform and AWS credentials are there, with the state backend from terraform/backend.hcl (S3) or,
 * without one, local state in terraform/terraform.tfstate.
 * `make bootstrap`: the same checks, then terraform/bootstrap (once per account: the state bucket, GitHub's
 * OIDC provider, the plan and apply roles), then the repository variables to set and terraform/backend.hcl.
 * `apply [make target] [address...]`: the checks, then a reviewed apply without the smoke test: what
 * `make rotate-key AWS=1` and `make retire-keys AWS=1` run after changing the key set. The plan is saved and
 * reviewed as a pull request's is; it is applied only if the review passes with the addresses given (the
 * keys the change drops) allowed to be destroyed, so nothing else protected can go with them.
 *
 * Environment: AUTO_APPROVE=1 skips Terraform's confirmation prompts; TF_VAR_* set variables
 * (e.g. TF_VAR_aws_region, TF_VAR_cors_allow_origins='["https://app.example.com"]',
 * TF_VAR_github_repository=owner/name for make bootstrap).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createInterface } from "node:readline/promises";
import { KMSClient } from "@aws-sdk/client-kms";
import { renderMarkdown } from "../plan-review/markdown.js";
import { printSavedPlanReview, reviewSavedPlan } from "../plan-review/saved-plan.js";
import {
  isAtLeast,
  MINIMUM_TERRAFORM,
  REPO_ROOT,
  TERRAFORM_BUILD_DIR,
  TERRAFORM_DIR,
  terraformEnv,
  terraformVersion,
} from "./lib/terraform.js";
import { runSmoke } from "./smoke.js";

const BOOTSTRAP_DIR = join(TERRAFORM_DIR, "bootstrap");
/** make plan's saved plan (build/ is git-ignored), reviewed after planning. */
const SAVED_PLAN = join(TERRAFORM_BUILD_DIR, "make-plan.tfplan");
/** The key set commands' plan, reviewed before it is applied. */
const SAVED_APPLY = join(TERRAFORM_BUILD_DIR, "key-set-apply.tfplan");
const autoApprove = process.env.AUTO_APPROVE === "1" || process.env.AUTO_APPROVE === "true";
const approve = autoApprove ? ["-auto-approve"] : [];

class Stop extends Error {}

async function confirmed(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await prompt.question(question)).trim() === "yes";
  } finally {
    prompt.close();
  }
}

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
  if (command === "bootstrap" && !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(process.env.TF_VAR_github_repository ?? "")) {
    fail(
      "make bootstrap needs the GitHub repository whose workflows may assume the roles:\n" +
        "  TF_VAR_github_repository=owner/name make bootstrap",
    );
  }
}

function run(args: string[], { capture = false, cwd = TERRAFORM_DIR } = {}): string {
  const result = spawnSync("terraform", args, {
    cwd,
    env: terraformEnv(),
    stdio: capture ? ["inherit", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
  });
  if (result.status !== 0) fail(`terraform ${args[0]} failed (exit ${result.status ?? result.signal}).`);
  return result.stdout ?? "";
}

/** terraform init in `dir` with the S3 backend from its backend.hcl, or local state (with a notice) without one. */
function init(dir = TERRAFORM_DIR): void {
  const backendConfig = join(dir, "backend.hcl");
  const localBackendOverride = join(dir, "backend_override.tf");
  const shown = relative(REPO_ROOT, dir);
  if (existsSync(backendConfig)) {
    rmSync(localBackendOverride, { force: true });
    // Local state from a first try is offered for migration into S3 (Terraform asks before copying).
    const migrate = existsSync(join(dir, "terraform.tfstate")) ? ["-migrate-state"] : [];
    console.log(`State: S3 backend from ${shown}/backend.hcl (locked with use_lockfile).`);
    run(["init", "-backend-config=backend.hcl", ...migrate], { cwd: dir });
    return;
  }
  writeFileSync(
    localBackendOverride,
    `# Written by make because ${shown}/backend.hcl does not exist: local state.\n` +
      "# Remove it after creating backend.hcl (see backend.hcl.example); the next run offers to migrate the state.\n" +
      'terraform {\n  backend "local" {}\n}\n',
  );
  console.warn(
    [
      "",
      `NOTICE: no ${shown}/backend.hcl, so the state stays LOCAL in ${shown}/terraform.tfstate.`,
      "That is fine for a first try, but it is not shared, not locked across machines, and lost with this",
      `checkout. For real use write ${shown}/backend.hcl (an S3 bucket: make bootstrap creates one).`,
      "",
    ].join("\n"),
  );
  run(["init", "-reconfigure"], { cwd: dir });
}

/**
 * make bootstrap: apply terraform/bootstrap, then say what the repository needs, and write the stack's
 * terraform/backend.hcl for the new bucket unless there is one already.
 */
function bootstrap(): void {
  init(BOOTSTRAP_DIR);
  run(["apply", ...approve], { cwd: BOOTSTRAP_DIR });
  const outputs = JSON.parse(run(["output", "-json"], { capture: true, cwd: BOOTSTRAP_DIR })) as Record<string, { value: unknown }>;
  const variables = outputs.repository_variables!.value as Record<string, string>;
  console.log("\nGitHub repository variables (Settings → Secrets and variables → Actions → Variables):\n");
  for (const [name, value] of Object.entries(variables)) console.log(`  ${name.padEnd(20)} ${value}`);
  const stackBackend = join(TERRAFORM_DIR, "backend.hcl");
  if (existsSync(stackBackend)) {
    console.log("\nterraform/backend.hcl exists already and was left alone; for this bucket it would be:\n");
    console.log(String(outputs.backend_config!.value));
  } else {
    writeFileSync(stackBackend, String(outputs.backend_config!.value));
    console.log("\nWrote terraform/backend.hcl (git-ignored): make plan and make deploy now keep the stack's state in the bucket.");
  }
  if (!existsSync(join(BOOTSTRAP_DIR, "backend.hcl"))) {
    console.log(
      "\nThis bootstrap's own state is in terraform/bootstrap/terraform.tfstate: keep it, or move it into the bucket\n" +
        '(terraform/bootstrap/README.md, "Its own state").',
    );
  }
}

async function main(command: string | undefined, target = process.argv[3]): Promise<void> {
  if (command === "check" && target) {
    await preflight(target); // make runs this before the build, to fail fast
    return;
  }
  if (!["plan", "deploy", "apply", "destroy", "bootstrap"].includes(command ?? "")) {
    fail("usage: tsx scripts/terraform/stack.ts plan|deploy|apply [make target]|destroy|bootstrap|check <command>");
  }
  await preflight(command === "apply" ? (target ?? command) : command!);
  if (command === "bootstrap") {
    bootstrap();
    return;
  }
  init();

  if (command === "plan") {
    mkdirSync(TERRAFORM_BUILD_DIR, { recursive: true });
    run(["plan", "-input=false", `-out=${SAVED_PLAN}`]);
    // The same review CI posts on pull requests (scripts/plan-review); informative here, so the exit stays 0.
    printSavedPlanReview(SAVED_PLAN, { cwd: TERRAFORM_DIR, env: terraformEnv() });
    return;
  }

  if (command === "apply") {
    mkdirSync(TERRAFORM_BUILD_DIR, { recursive: true });
    run(["plan", "-input=false", `-out=${SAVED_APPLY}`]);
    const allowDestroy = process.argv.slice(4);
    const review = reviewSavedPlan(SAVED_APPLY, { cwd: TERRAFORM_DIR, env: terraformEnv(), allowDestroy });
    process.stdout.write(`\n${renderMarkdown(review)}`);
    if (review.exitCode !== 0) {
      fail(
        `the plan would destroy a protected resource that this change does not drop (review above; allowed: ${allowDestroy.join(", ") || "none"}); nothing was applied`,
      );
    }
    // A saved plan is applied without Terraform's prompt, so the prompt is asked here.
    if (!autoApprove && !(await confirmed("Apply this plan? Only 'yes' applies it: "))) fail("not applied");
    run(["apply", "-input=false", SAVED_APPLY]);
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
