/**
 * The plan review on REAL plans of this repository's Terraform (test/plan-review/fixtures, made offline by
 * fixtures/generate.ts): the summary, the flagged resources and the exit status of each case.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { renderMarkdown } from "../../scripts/plan-review/markdown.js";
import { loadProtection } from "../../scripts/plan-review/protection.js";
import { type Review, reviewPlan } from "../../scripts/plan-review/review.js";
import { SECRETS } from "./fixtures/cases.js";
import { fixturePath, loadFixture, runDocumentedCommand, runTool, sensitiveValues } from "./support.js";

const TABLE = "module.table.aws_dynamodb_table.this";
const KEY = 'module.signing_key["initial"].aws_kms_key.this';
const SESSIONS_TABLE = "module.sessions_table.aws_dynamodb_table.this";
const LEGACY_LOGS = "module.legacy_logs.aws_cloudwatch_log_group.this";

function review(name: string, allowDestroy: string[] = [], protection = loadProtection()): Review {
  return reviewPlan(loadFixture(name), { protection, allowDestroy });
}
const actions = (r: Review) => Object.fromEntries(r.resources.map((resource) => [resource.address, resource.action]));
const blocked = (r: Review) => r.blocked.map((resource) => resource.address);

describe("plan review: the fixture plans", () => {
  it("create-only: counts every resource as a create, flags nothing, exit 0", () => {
    const r = review("create-only");
    expect(r.summary).to.deep.equal({ create: 37, update: 0, replace: 0, delete: 0, forget: 0 });
    expect(r.blocked).to.be.empty;
    expect(r.exitCode).to.equal(0);
    // Data sources are read, not counted; every output is new.
    expect(r.resources.every((resource) => resource.action === "create" && !resource.address.includes(".data."))).to.equal(true);
    expect(r.outputs.map((output) => output.action)).to.satisfy((list: string[]) => list.every((action) => action === "create"));
    expect(renderMarkdown(r))
      .to.include("**Plan:** 37 to create, 0 to update, 0 to replace, 0 to delete, 0 to forget")
      .and.not.include("[!CAUTION]");
  });

  it("update: names the attributes that change, hides the sensitive ones' values, exit 0", () => {
    const r = review("update");
    // The function, both log groups and the authorizer. (The role's policy is not among them: its document,
    // which names the log group's ARN, is read at plan time now that the log group sits in modules/log_group.)
    expect(r.summary).to.deep.equal({ create: 0, update: 4, replace: 0, delete: 0, forget: 0 });
    expect(r.exitCode).to.equal(0);
    const changed = (address: string) => r.resources.find((resource) => resource.address === address)!.changedAttributes;
    expect(changed("module.lambda.aws_lambda_function.this")).to.deep.equal([
      { path: "environment[0].variables.AUDIENCE", sensitive: true, unknown: false },
      { path: "memory_size", sensitive: false, unknown: false },
    ]);
    expect(changed("module.lambda.module.log_group.aws_cloudwatch_log_group.this").map((a) => a.path)).to.deep.equal(["retention_in_days"]);
    expect(changed("module.http_api.module.access_log_group.aws_cloudwatch_log_group.this").map((a) => a.path)).to.deep.equal([
      "retention_in_days",
    ]);
    expect(changed("module.http_api.aws_apigatewayv2_authorizer.jwt")).to.deep.equal([
      { path: "jwt_configuration[0].audience", sensitive: true, unknown: false },
    ]);
    expect(r.outputs).to.deep.equal([
      { name: "fixture_jwt_audience", action: "update", sensitive: true, before: "(sensitive value)", after: "(sensitive value)" },
    ]);
    const markdown = renderMarkdown(r);
    expect(markdown).to.include("changes `environment[0].variables.AUDIENCE` (sensitive), `memory_size`");
  });

  it("replace: a new table key replaces the users table; a warning names it; exit 2", () => {
    const r = review("replace");
    expect(r.summary).to.deep.equal({ create: 0, update: 1, replace: 1, delete: 0, forget: 0 });
    expect(blocked(r)).to.deep.equal([TABLE]);
    const table = r.blocked[0]!;
    expect(table).to.include({
      order: "destroy-before-create",
      reason: "replace_because_cannot_update",
      protectedBy: "type aws_dynamodb_table",
    });
    expect(table.forcedBy).to.deep.equal([{ path: "hash_key", before: "pk", after: "id" }]);
    expect(r.exitCode).to.equal(2);
    const markdown = renderMarkdown(r);
    const [warning] = markdown.split("**Plan:**");
    expect(warning).to.include("[!CAUTION]").and.include(`\`${TABLE}\``).and.include("forced by `hash_key`");
    expect(markdown).to.include('forced by `hash_key` (`"pk"` → `"id"`)');
  });

  it("create-before-destroy: replacing the signing key new-first is destructive too; exit 2", () => {
    const r = review("create-before-destroy");
    expect(r.summary).to.deep.equal({ create: 0, update: 3, replace: 1, delete: 0, forget: 0 });
    expect(blocked(r)).to.deep.equal([KEY]);
    expect(r.blocked[0]).to.include({ order: "create-before-destroy", protectedBy: "type aws_kms_key" });
    expect(r.blocked[0]!.forcedBy).to.deep.equal([{ path: "customer_master_key_spec", before: "RSA_2048", after: "RSA_3072" }]);
    expect(r.outputs).to.deep.equal([
      { name: "signing_key_arn", action: "update", sensitive: false, before: r.outputs[0]!.before, after: "(known after apply)" },
      // A map whose entry is known only after apply: shown as such, not as an empty map.
      {
        name: "signing_public_keys",
        action: "update",
        sensitive: false,
        before: r.outputs[1]!.before,
        after: { initial: "(known after apply)" },
      },
    ]);
    expect(r.exitCode).to.equal(2);
  });

  it("delete: flags the table whose module was deleted, not the log group; exit 2", () => {
    const r = review("delete");
    expect(r.summary).to.deep.equal({ create: 0, update: 0, replace: 0, delete: 2, forget: 0 });
    expect(actions(r)).to.deep.equal({ [LEGACY_LOGS]: "delete", [SESSIONS_TABLE]: "delete" });
    expect(blocked(r)).to.deep.equal([SESSIONS_TABLE]);
    expect(r.blocked[0]!.reason).to.equal("delete_because_no_resource_config");
    expect(r.exitCode).to.equal(2);
    expect(renderMarkdown(r)).to.match(/\[!CAUTION\][\s\S]*This plan deletes protected resources[\s\S]*module\.sessions_table/);
  });

  it("removed: a forgotten table is shown and counted, but is not a deletion; exit 0", () => {
    const r = review("removed");
    expect(r.summary).to.deep.equal({ create: 0, update: 0, replace: 0, delete: 1, forget: 1 });
    expect(actions(r)).to.deep.equal({ [LEGACY_LOGS]: "delete", [SESSIONS_TABLE]: "forget" });
    expect(r.blocked).to.be.empty;
    expect(r.exitCode).to.equal(0);
    const markdown = renderMarkdown(r);
    expect(markdown).to.include("[!NOTE]").and.include("forget (kept in AWS)").and.include("1 to forget").and.not.include("[!CAUTION]");
  });

  it("--allow-destroy allows exactly the resources (or modules) it names", () => {
    expect(review("replace", [TABLE]).exitCode).to.equal(0);
    expect(review("replace", [TABLE]).allowed.map((resource) => resource.address)).to.deep.equal([TABLE]);
    expect(renderMarkdown(review("replace", [TABLE])))
      .to.include("[!WARNING]")
      .and.not.include("[!CAUTION]");
    expect(review("replace", [KEY]).exitCode).to.equal(2);
    expect(review("replace", [KEY]).unusedAllowances).to.deep.equal([KEY]);
    expect(review("delete", ["module.sessions_table"]).exitCode).to.equal(0);
    expect(review("delete", ["module.sessions"]).exitCode).to.equal(2);
  });

  it("protects addresses listed in the config, on top of the protected types", () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-review-"));
    try {
      const config = join(dir, "protected.json");
      writeFileSync(config, JSON.stringify({ types: [], addresses: ["module.legacy_logs"] }));
      const r = review("delete", [], loadProtection(config));
      expect(blocked(r)).to.deep.equal([LEGACY_LOGS, SESSIONS_TABLE]);
      expect(r.blocked[0]!.protectedBy).to.equal("listed as module.legacy_logs");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("plan review: sensitive values", () => {
  const plan = loadFixture("update");
  const secrets = sensitiveValues(plan as never);

  it("the update fixture really carries sensitive values (resources, a sensitive output, a sensitive variable)", () => {
    expect(secrets).to.include.members([SECRETS.appliedAudience, SECRETS.newAudience]);
    expect(JSON.stringify(plan)).to.include(SECRETS.newAudience);
  });

  for (const format of ["markdown", "json"]) {
    it(`never prints any of them (--format ${format})`, () => {
      const { status, stdout, stderr } = runTool(["--format", format, fixturePath("update")]);
      expect(status, stderr).to.equal(0);
      expect(stdout).to.include("sensitive");
      for (const secret of secrets) expect(stdout, `leaks ${secret}`).not.to.include(secret);
      expect(stdout).not.to.include("fixture-secret");
    });
  }
});

describe("plan review: the command line", function () {
  this.timeout(60_000);

  // The one run through npm, as the README and the workflows call it; the others start the CLI directly.
  it("npm run --silent plan-review -- PLAN_JSON prints the review of the replace fixture with a warning naming the table and exits 2", () => {
    const { status, stdout } = runDocumentedCommand([fixturePath("replace")]);
    expect(status).to.equal(2);
    expect(stdout.split("\n").slice(0, 6).join("\n")).to.include("[!CAUTION]").and.include(TABLE);
  });

  it("reads stdin with -, prints JSON with --format json, and exits 0 when the destroy is allowed", () => {
    const { status, stdout } = runTool(["--allow-destroy", TABLE, "--format", "json", "-"], readFileSync(fixturePath("replace"), "utf8"));
    expect(status).to.equal(0);
    const parsed = JSON.parse(stdout) as Review;
    expect(parsed.allowed.map((resource) => resource.address)).to.deep.equal([TABLE]);
    expect(parsed.exitCode).to.equal(0);
  });

  const notPlans: [string, string, RegExp][] = [
    ["garbage", "this is not json", /is not JSON/],
    ["an empty input", "", /is empty/],
    ["a JSON array", "[]", /not an object/],
    ["a state", JSON.stringify({ format_version: "1.0", terraform_version: "1.11.4", values: {} }), /is a state/],
    ["some other JSON", JSON.stringify({ hello: "world" }), /no format_version/],
    [
      "a plan with a malformed change",
      JSON.stringify({ format_version: "1.2", planned_values: {}, resource_changes: [{ address: "x" }] }),
      /resource_changes\[0\]/,
    ],
  ];
  for (const [what, input, message] of notPlans) {
    it(`exits 1 with a clear message on ${what}`, () => {
      const { status, stdout, stderr } = runTool(["-"], input);
      expect(status).to.equal(1);
      expect(stdout).to.equal("");
      expect(stderr)
        .to.match(/^plan-review: /)
        .and.match(message)
        .and.include("terraform show -json");
    });
  }

  it("exits 1 on a missing file", () => {
    expect(runTool(["/nonexistent/plan.json"]))
      .to.include({ status: 1 })
      .and.satisfy((r: { stderr: string }) => /cannot read \/nonexistent\/plan\.json: ENOENT/.test(r.stderr));
  });

  it("exits 1 on bad usage: no plan given", () => {
    expect(runTool([]).status).to.equal(1);
  });

  it("names what is wrong on bad usage: an unknown --format", () => {
    expect(runTool(["--format", "html", fixturePath("replace")]).stderr).to.include("--format must be markdown or json");
  });
});
