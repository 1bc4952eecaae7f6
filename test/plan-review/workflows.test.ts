/**
 * The GitHub Actions workflows, parsed: triggers, jobs, permissions (least privilege), OIDC instead of
 * AWS keys, and the plan-review gate.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { REPO_ROOT } from "../../scripts/terraform/lib/terraform.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  id?: string;
}
interface Job {
  name?: string;
  if?: string;
  env?: Record<string, string>;
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, any>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const read = (name: string) => readFileSync(join(REPO_ROOT, ".github/workflows", name), "utf8");
const load = (name: string) => parse(read(name)) as Workflow;
const runs = (job: Job) => job.steps.map((step) => step.run ?? "").join("\n");
const uses = (job: Job, action: string) => job.steps.filter((step) => step.uses?.startsWith(`${action}@`));
const needsOf = (job: Job) => (job.needs === undefined ? [] : [job.needs].flat());

/**
 * Runs one step's script as GitHub Actions does (bash -eo pipefail, GITHUB_OUTPUT a file), with the job's
 * and the step's environment replaced by `env`; returns its status, output and the outputs it set.
 */
function runStep(step: Step, env: Record<string, string>, cwd = mkdtempSync(join(tmpdir(), "workflow-step-"))) {
  const script = join(cwd, "step.sh");
  const output = join(cwd, "github-output");
  writeFileSync(script, step.run!);
  writeFileSync(output, "");
  const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", GITHUB_OUTPUT: output, ...env },
  });
  const outputs = Object.fromEntries(
    readFileSync(output, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("=", 2) as [string, string]),
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputs };
}

describe("workflows", () => {
  for (const name of ["ci.yml", "terraform.yml"]) {
    it(`${name}: no static AWS keys or secrets anywhere`, () => {
      const text = read(name);
      expect(text).not.to.match(/AKIA[0-9A-Z]{16}/);
      expect(text).not.to.match(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/i);
      expect(text).not.to.match(/secrets\.AWS/);
    });

    it(`${name}: every action pinned to a full commit SHA, its version in a comment`, () => {
      // A tag can be moved to other code; a commit cannot. These jobs hold AWS roles and a write token.
      const pins = [...read(name).matchAll(/uses:\s*(\S+)(.*)/g)];
      expect(pins).not.to.be.empty;
      for (const [, reference, rest] of pins) {
        expect(reference, reference).to.match(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        expect(rest, reference).to.match(/^ # v\d+\.\d+\.\d+$/);
      }
    });
  }

  describe("ci.yml", () => {
    const workflow = load("ci.yml");
    it("runs make test on Node 22 after npm ci, for pull requests and pushes, with read-only contents", () => {
      expect(workflow.on).to.have.keys("pull_request", "push");
      expect(workflow.permissions).to.deep.equal({ contents: "read" });
      const test = workflow.jobs.test!;
      expect(uses(test, "actions/setup-node")[0]!.with!["node-version"]).to.equal(22);
      expect(uses(test, "hashicorp/setup-terraform")[0]!.with).to.include({ terraform_wrapper: false });
      const commands = runs(test);
      expect(commands).to.match(/npm ci/);
      expect(commands.indexOf("npm ci")).to.be.below(commands.indexOf("make test"));
      expect(JSON.stringify(workflow)).not.to.include("id-token");
    });
  });

  describe("terraform.yml", () => {
    const workflow = load("terraform.yml");
    const { checks, plan, comment, gate, apply } = workflow.jobs as Record<string, Job>;

    it("runs on every pull request (also when labels change) and every push to main, with no path filter", () => {
      // A workflow skipped by a path filter leaves its required checks pending, and the pull request can never merge.
      expect(workflow.on).to.have.keys("pull_request", "push");
      expect(workflow.on.pull_request).to.have.keys("types");
      expect(workflow.on.pull_request.types).to.include.members(["opened", "synchronize", "reopened", "labeled", "unlabeled"]);
      expect(workflow.on.push).to.deep.equal({ branches: ["main"] });
      expect(read("terraform.yml")).not.to.match(/^\s*(paths|paths-ignore|branches-ignore):/m);
    });

    describe("changes: one path list decides, for pull requests and pushes alike", () => {
      const changes = workflow.jobs.changes!;
      const list = changes.steps.find((step) => step.name === "list the changed files")!;
      const classify = changes.steps.find((step) => step.id === "classify")!;

      it("runs first, unconditionally, on the full history, and outputs infra", () => {
        expect(changes.needs).to.equal(undefined);
        expect(changes.if).to.equal(undefined);
        expect(uses(changes, "actions/checkout")[0]!.with).to.deep.equal({ "fetch-depth": 0 });
        expect(changes.outputs).to.deep.equal({ infra: "${{ steps.classify.outputs.infra }}" });
        // The one list: also what the push to main used to filter on, which changes the deployed zip.
        expect(changes.env!.INFRA_PATHS!.trim().split("\n")).to.include.members([
          "terraform/*",
          "lambda/*",
          "scripts/build.ts",
          "scripts/lib/*",
          "scripts/plan-review/*",
          "package-lock.json",
          ".github/workflows/terraform.yml",
        ]);
      });

      const rows: [string[], boolean][] = [
        [["terraform/main.tf"], true],
        [["terraform/bootstrap/main.tf"], true],
        [["lambda/src/index.ts"], true],
        [["scripts/build.ts"], true],
        [["scripts/lib/deterministic-zip.ts"], true],
        [["scripts/plan-review/review.ts"], true],
        [["package-lock.json"], true],
        [[".github/workflows/terraform.yml"], true],
        [["README.md", "test/unit/router.test.ts", "scripts/gateway-emulator/server.ts", ".github/workflows/ci.yml"], false],
        [["docs/terraform/main.tf", "scripts/buildings.ts"], false],
        [[":all"], true],
        [[], false],
      ];
      for (const [files, infra] of rows) {
        it(`classifies ${JSON.stringify(files)} as ${infra ? "" : "not "}infrastructure-relevant`, () => {
          const cwd = mkdtempSync(join(tmpdir(), "workflow-classify-"));
          writeFileSync(join(cwd, "changed-files.txt"), files.map((file) => `${file}\n`).join(""));
          const run = runStep(classify, { INFRA_PATHS: changes.env!.INFRA_PATHS! }, cwd);
          expect(run.status, run.stderr).to.equal(0);
          expect(run.outputs).to.deep.equal({ infra: String(infra) });
        });
      }

      describe("lists what a pull request or a push changed", () => {
        const repo = mkdtempSync(join(tmpdir(), "workflow-git-"));
        const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
        const commit = (file: string) => {
          writeFileSync(join(repo, file), file);
          git("add", file);
          git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", file);
          return git("rev-parse", "HEAD");
        };
        let base = "";
        let head = "";
        before(() => {
          git("init", "-q");
          base = commit("README.md");
          commit("main.tf");
          head = git("rev-parse", "HEAD");
        });
        const listed = (env: Record<string, string>) => {
          const run = runStep(list, env, repo);
          expect(run.status, run.stderr).to.equal(0);
          return readFileSync(join(repo, "changed-files.txt"), "utf8").trim().split("\n");
        };
        it("a pull request: the files changed since the merge base", () => {
          expect(listed({ EVENT: "pull_request", BASE: base, HEAD: head, BEFORE: "" })).to.deep.equal(["main.tf"]);
        });
        it("a push: the files changed since the commit before it", () => {
          expect(listed({ EVENT: "push", BASE: "", HEAD: head, BEFORE: base })).to.deep.equal(["main.tf"]);
        });
        it("a push without a known base (first push, force push): everything", () => {
          expect(listed({ EVENT: "push", BASE: "", HEAD: head, BEFORE: "0000000000000000000000000000000000000000" })).to.deep.equal([
            ":all",
          ]);
        });
      });
    });

    it("runs every other job after changes, and only when it found an infrastructure change", () => {
      const gated = (name: string): boolean => {
        const job = workflow.jobs[name]!;
        if (job.if?.includes("needs.changes.outputs.infra == 'true'") && needsOf(job).includes("changes")) return true;
        // A job skipped because a job it needs was skipped is skipped too (unless its if says always()).
        return !job.if?.includes("always()") && needsOf(job).length > 0 && needsOf(job).every(gated);
      };
      for (const name of Object.keys(workflow.jobs).filter((name) => name !== "changes" && name !== "result")) {
        expect(gated(name), name).to.equal(true);
      }
    });

    describe("result: the one check to require, reported whatever ran", () => {
      const result = workflow.jobs.result!;
      it("always runs, after every other job, with no permissions", () => {
        expect(result.name).to.equal("terraform result");
        expect(result.if).to.equal("always()");
        expect([...needsOf(result)].sort()).to.deep.equal(
          Object.keys(workflow.jobs)
            .filter((name) => name !== "result")
            .sort(),
        );
        expect(result.permissions).to.deep.equal({});
        const env = result.steps[0]!.env!;
        for (const name of needsOf(result)) expect(Object.values(env)).to.include(`\${{ needs.${name}.result }}`);
      });

      const skipped = { CHANGES: "success", CHECKS: "skipped", PLAN: "skipped", COMMENT: "skipped", GATE: "skipped", APPLY: "skipped" };
      const reviewed = { ...skipped, CHECKS: "success", PLAN: "success", COMMENT: "success", GATE: "success" };
      const rows: [string, Record<string, string>, number][] = [
        [
          "no infrastructure change: every job but changes skipped",
          { INFRA: "false", EVENT: "pull_request", REVIEWED: "true", ...skipped },
          0,
        ],
        ["a reviewed pull request whose every job passed", { INFRA: "true", EVENT: "pull_request", REVIEWED: "true", ...reviewed }, 0],
        [
          "the gate failed (a protected resource destroyed, no label)",
          { INFRA: "true", EVENT: "pull_request", REVIEWED: "true", ...reviewed, GATE: "failure" },
          1,
        ],
        [
          "the plan failed, so the gate was skipped",
          { INFRA: "true", EVENT: "pull_request", REVIEWED: "true", ...reviewed, PLAN: "failure", COMMENT: "skipped", GATE: "skipped" },
          1,
        ],
        [
          "checks failed, so plan and gate were skipped",
          { INFRA: "true", EVENT: "pull_request", REVIEWED: "true", ...skipped, CHECKS: "failure" },
          1,
        ],
        ["a cancelled job", { INFRA: "true", EVENT: "pull_request", REVIEWED: "true", ...reviewed, COMMENT: "cancelled" }, 1],
        ["changes itself failed", { INFRA: "", EVENT: "pull_request", REVIEWED: "true", ...skipped, CHANGES: "failure" }, 1],
        [
          "a fork's pull request: checks passed, no plan (no OIDC token)",
          { INFRA: "true", EVENT: "pull_request", REVIEWED: "false", ...skipped, CHECKS: "success" },
          0,
        ],
        [
          "a push to main, applied",
          { INFRA: "true", EVENT: "push", REVIEWED: "false", ...skipped, CHECKS: "success", APPLY: "success" },
          0,
        ],
        [
          "a push to main whose apply failed",
          { INFRA: "true", EVENT: "push", REVIEWED: "false", ...skipped, CHECKS: "success", APPLY: "failure" },
          1,
        ],
        ["a push to main whose apply never ran", { INFRA: "true", EVENT: "push", REVIEWED: "false", ...skipped, CHECKS: "success" }, 1],
      ];
      for (const [what, env, status] of rows) {
        it(`${status === 0 ? "passes" : "fails"}: ${what}`, () => {
          const run = runStep(result.steps[0]!, env);
          expect(run.status, run.stdout + run.stderr).to.equal(status);
        });
      }
    });

    it("grants nothing by default; id-token only to the jobs with AWS credentials, pull-requests: write only to the comment", () => {
      expect(workflow.permissions).to.deep.equal({});
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const needsAws = uses(job, "aws-actions/configure-aws-credentials").length > 0;
        expect(job.permissions, `${name} declares its permissions`).to.be.an("object");
        expect(job.permissions!["id-token"] === "write", `${name}: id-token`).to.equal(needsAws);
        expect(job.permissions!["pull-requests"] === "write", `${name}: pull-requests: write`).to.equal(name === "comment");
        expect(Object.values(job.permissions!).filter((level) => level === "write").length, name).to.be.at.most(1);
      }
      expect(
        comment!.steps.some((step) => step.uses?.startsWith("actions/checkout@")),
        "the comment job runs no project code",
      ).to.equal(false);
    });

    it("checks: build, fmt, validate and terraform test (the stack, the bootstrap, every module), without credentials", () => {
      const commands = runs(checks!);
      for (const command of [
        "npm run build",
        "fmt -check",
        "validate",
        "terraform -chdir=terraform test",
        "terraform -chdir=terraform/bootstrap test",
      ])
        expect(commands).to.include(command);
      expect(uses(checks!, "aws-actions/configure-aws-credentials")).to.be.empty;
    });

    it("uses hashicorp/setup-terraform without the wrapper in every job that runs terraform", () => {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        if (!/terraform /.test(runs(job))) continue;
        const setup = uses(job, "hashicorp/setup-terraform");
        expect(setup, name).to.have.length(1);
        expect(setup[0]!.with!.terraform_wrapper, name).to.equal(false);
      }
    });

    it("plans pull requests with the read-only role from a repository variable, shows JSON and runs the review", () => {
      expect(plan!.if).to.include("pull_request");
      const credentials = uses(plan!, "aws-actions/configure-aws-credentials")[0]!;
      expect(credentials.with!["role-to-assume"]).to.equal("${{ vars.AWS_PLAN_ROLE_ARN }}");
      const commands = runs(plan!);
      expect(commands).to.match(/terraform -chdir=terraform plan .*-out=pr\.tfplan/);
      expect(commands).to.match(/terraform -chdir=terraform show -json pr\.tfplan/);
      expect(commands).to.include("npm run --silent plan-review -- plan-review/plan.json");
      expect(plan!.outputs!["review-exit"]).to.equal("${{ steps.review.outputs.exit }}");
      expect(uses(plan!, "actions/upload-artifact").length).to.be.at.least(1);
      expect(commands).to.include("comment-cli.ts --artifact-url");
    });

    it("keeps ONE sticky comment: finds it by its marker and updates it, else creates it", () => {
      const commands = runs(comment!);
      expect(comment!.needs).to.equal("plan");
      expect(commands).to.include("startswith");
      expect(commands).to.include("--method PATCH");
      expect(commands).to.include("--method POST");
    });

    it("gates pull requests: exit 2 from the review fails the check unless the allow-destroy label is on", () => {
      expect(gate!.needs).to.equal("plan");
      expect(gate!.steps[0]!.env!.REVIEW_EXIT).to.equal("${{ needs.plan.outputs.review-exit }}");
      expect(gate!.steps[0]!.env!.ALLOWED).to.include("'allow-destroy'");
      expect(runs(gate!)).to.match(/"\$REVIEW_EXIT" = 2 \] && \[ "\$ALLOWED" != true \][\s\S]*exit 1/);
    });

    it("applies pushes to main from the protected production environment, one at a time, after the same gate", () => {
      expect(apply!.if).to.include("refs/heads/main");
      expect(apply!.environment).to.equal("production");
      expect(apply!.concurrency).to.deep.equal({ group: "terraform-production", "cancel-in-progress": false });
      expect(uses(apply!, "aws-actions/configure-aws-credentials")[0]!.with!["role-to-assume"]).to.equal("${{ vars.AWS_APPLY_ROLE_ARN }}");
      const commands = runs(apply!);
      const gateAt = commands.indexOf("npm run --silent plan-review -- plan.json");
      expect(gateAt).to.be.above(commands.indexOf("-out=main.tfplan"));
      expect(commands).to.include("allow-destroy");
      expect(commands.indexOf("terraform -chdir=terraform apply main.tfplan")).to.be.above(gateAt);
      expect(commands).not.to.include("-auto-approve");
    });
  });
});
