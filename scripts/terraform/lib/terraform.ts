/**
 * Running Terraform from the project's scripts and tests: the CLI configuration (a local provider mirror
 * when the machine has one), offline workspaces (temporary copies of terraform/), and the offline plan.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startOfflineAws } from "./offline-aws.js";

export const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const TERRAFORM_DIR = join(REPO_ROOT, "terraform");
export const TERRAFORM_BUILD_DIR = join(REPO_ROOT, "build", "terraform");
/** 1.11: the S3 backend's lock file (use_lockfile) is no longer experimental. */
export const MINIMUM_TERRAFORM = [1, 11] as const;

/** A filesystem mirror of providers (never a download when one exists); TF_PROVIDER_MIRROR overrides. */
const PROVIDER_MIRROR = process.env.TF_PROVIDER_MIRROR ?? "/opt/tf-plugins";

/** The installed Terraform's version, or undefined when there is none on PATH. */
export function terraformVersion(): string | undefined {
  const result = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env: terraformEnv() });
  if (result.error || result.status !== 0) return undefined;
  return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
}

export function isAtLeast(version: string, [major, minor]: readonly [number, number]): boolean {
  const [actualMajor = 0, actualMinor = 0] = version.split(".").map(Number);
  return actualMajor > major || (actualMajor === major && actualMinor >= minor);
}

/**
 * The environment for terraform: with a provider mirror on this machine, a CLI config that installs
 * hashicorp/* from it (written to build/terraform/cli.tfrc); a TF_CLI_CONFIG_FILE naming a missing file
 * is dropped rather than warned about on every command.
 */
export function terraformEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: "1", ...extra };
  if (existsSync(PROVIDER_MIRROR)) {
    const cliConfig = join(TERRAFORM_BUILD_DIR, "cli.tfrc");
    mkdirSync(TERRAFORM_BUILD_DIR, { recursive: true });
    writeFileSync(
      cliConfig,
      `# Written by scripts/terraform/lib/terraform.ts: providers come from the local mirror, never a download.
provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(PROVIDER_MIRROR)}
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`,
    );
    env.TF_CLI_CONFIG_FILE = cliConfig;
  } else if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) {
    delete env.TF_CLI_CONFIG_FILE;
  }
  return env;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs terraform with captured output; rejects with its output when it fails (unless allowFailure). */
export function terraform(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; allowFailure?: boolean }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args, "-no-color"], { cwd: options.cwd, env: options.env ?? terraformEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const result = { code: code ?? 1, stdout, stderr };
      if (result.code !== 0 && !options.allowFailure) {
        reject(new Error(`terraform ${args.join(" ")} failed in ${options.cwd} (exit ${result.code}):\n${stderr}\n${stdout}`));
      } else resolve(result);
    });
  });
}

const NOT_COPIED = new Set([".terraform", "terraform.tfstate", "terraform.tfstate.backup", "backend_override.tf", "backend.hcl"]);

export interface Workspace {
  /** The copy of terraform/ */
  dir: string;
  remove(): void;
}

/**
 * A temporary copy of terraform/ (without state, working data or backend files) next to links to build/
 * and lambda/, so the root module's relative paths to build/routes.json, build/lambda.zip and the table
 * definition still resolve. Offline checks run here and never touch the real directory.
 */
export function createWorkspace(): Workspace {
  const root = mkdtempSync(join(tmpdir(), "auth-api-terraform-"));
  const dir = join(root, "terraform");
  cpSync(TERRAFORM_DIR, dir, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(basename(source)) && !source.endsWith(".tfplan"),
  });
  symlinkSync(join(REPO_ROOT, "build"), join(root, "build"));
  symlinkSync(join(REPO_ROOT, "lambda"), join(root, "lambda"));
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Fake credentials for a plan that never talks to AWS: only ever written into a workspace copy. The two
 * reads a plan makes (the caller's account, a KMS key's public half) go to the local stand-in.
 */
function offlineProviderOverride(endpoint: string): string {
  return `# Offline plan only (written into a temporary copy): fake credentials; the reads go to a local stand-in.
provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fakefakefakefakefakefakefakefakefakefake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  endpoints {
    kms = "${endpoint}"
    sts = "${endpoint}"
  }
}
`;
}

const LOCAL_BACKEND_OVERRIDE = `terraform {
  backend "local" {}
}
`;

/**
 * A root module planned offline: the real configuration of `workspace.dir` (or of its `module`
 * subdirectory, e.g. "bootstrap") plus two override files (fake credentials, local backend), with the reads
 * a plan makes answered by scripts/terraform/lib/offline-aws.ts; returns `terraform show -json` of the plan.
 */
export async function offlinePlan(workspace: Workspace, env = terraformEnv(), module = ""): Promise<unknown> {
  const dir = join(workspace.dir, module);
  const aws = await startOfflineAws();
  try {
    writeFileSync(join(dir, "provider_override.tf"), offlineProviderOverride(aws.url));
    writeFileSync(join(dir, "backend_override.tf"), LOCAL_BACKEND_OVERRIDE);
    await terraform(["init", "-input=false", "-lockfile=readonly"], { cwd: dir, env });
    await terraform(["plan", "-input=false", "-refresh=false", "-lock=false", "-out=offline.tfplan"], { cwd: dir, env });
    const { stdout } = await terraform(["show", "-json", "offline.tfplan"], { cwd: dir, env });
    return JSON.parse(stdout);
  } finally {
    await aws.stop();
  }
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, "utf8")) as T;
}
