/**
 * The GitHub Actions workflows, parsed: triggers, jobs, permissions (least privilege), OIDC instead of
 * AWS keys, and the plan-review gate.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { REPO_ROOT } from "../../scripts/terraform/lib/terraform.js";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  id?: string;
}
interface Job {
  if?: string;
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

    it("runs on pull requests touching terraform/ or lambda/ (also when labels change) and on pushes to main", () => {
      expect(workflow.on.pull_request.paths).to.include.members(["terraform/**", "lambda/**"]);
      expect(workflow.on.pull_request.types).to.include.members(["opened", "synchronize", "reopened", "labeled", "unlabeled"]);
      expect(workflow.on.push.branches).to.deep.equal(["main"]);
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

    it("checks: build, fmt, validate and terraform test, without credentials", () => {
      const commands = runs(checks!);
      for (const command of ["npm run build", "fmt -check", "validate", "terraform -chdir=terraform test"])
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
