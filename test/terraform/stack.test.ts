/**
 * The preflight of make bootstrap (and make plan/deploy/destroy): what is missing is named before anything
 * runs. Nothing here reaches AWS: the checks stop first.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../scripts/terraform/lib/terraform.js";
import { requireTerraform } from "./support.js";

/** An environment with no AWS configuration of the machine's own: no profile, no files, no instance metadata. */
function isolatedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), "auth-preflight-"));
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}

const preflight = (command: string, env: Record<string, string>) =>
  spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "scripts/terraform/stack.ts"), "check", command], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: isolatedEnv(env),
  });

describe("make bootstrap: preflight checks (scripts/terraform/stack.ts)", function () {
  this.timeout(60_000);
  before(function () {
    requireTerraform(this);
  });

  const credentials = { AWS_ACCESS_KEY_ID: "AKIAFAKEFAKEFAKEFAKE", AWS_SECRET_ACCESS_KEY: "fake" };
  const rows: [string, Record<string, string>, RegExp][] = [
    ["no AWS credentials", {}, /make bootstrap needs AWS credentials/],
    ["no region", credentials, /make bootstrap needs an AWS region/],
    ["no GitHub repository", { ...credentials, AWS_REGION: "eu-west-1" }, /TF_VAR_github_repository=owner\/name make bootstrap/],
    [
      "a repository without its owner",
      { ...credentials, AWS_REGION: "eu-west-1", TF_VAR_github_repository: "auth-api" },
      /TF_VAR_github_repository/,
    ],
  ];
  for (const [what, env, message] of rows) {
    it(`stops with a message naming what is missing: ${what}`, () => {
      const result = preflight("bootstrap", env);
      expect(result.status, result.stdout + result.stderr).to.equal(1);
      expect(result.stderr).to.match(message);
    });
  }

  it("passes with credentials, a region and owner/name", () => {
    const result = preflight("bootstrap", { ...credentials, AWS_REGION: "eu-west-1", TF_VAR_github_repository: "acme/auth-api" });
    expect(result.status, result.stderr).to.equal(0);
  });
});
