/**
 * The fixtures are real and current: made by fixtures/generate.ts from the Terraform sources whose hash
 * manifest.json records. Regenerating all six takes about two minutes, so make test compares the hash
 * (instant, no terraform) and re-plans only the create-only case to compare it with the committed one.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import type { Plan } from "../../scripts/plan-review/plan-json.js";
import { createWorkspace, offlinePlan, terraformEnv } from "../../scripts/terraform/lib/terraform.js";
import { requireTerraform } from "../terraform/support.js";
import { CASES, FIXTURE_VARIABLES } from "./fixtures/cases.js";
import { FIXTURES_DIR, fixtureInputsHash, MANIFEST } from "./fixtures/sources.js";
import { CASE_NAMES, loadFixture } from "./support.js";

const REGENERATE = "regenerate them: npx tsx test/plan-review/fixtures/generate.ts (about two minutes, offline)";

describe("plan review: the fixtures", () => {
  const manifest = JSON.parse(readFileSync(MANIFEST, "utf8")) as {
    inputsSha256: string;
    terraformVersion: string;
    cases: Record<string, string>;
  };

  it("were generated from the current Terraform sources, fixture inputs and fixture script", () => {
    expect(fixtureInputsHash(), `the fixtures are stale: ${REGENERATE}`).to.equal(manifest.inputsSha256);
  });

  it("are the six cases, each a plan made by terraform", () => {
    expect(CASES.map((fixture) => fixture.name)).to.deep.equal([...CASE_NAMES]);
    expect(Object.keys(manifest.cases)).to.deep.equal([...CASE_NAMES]);
    for (const name of CASE_NAMES) {
      const plan = loadFixture(name) as Plan & { variables: Record<string, { value: unknown }> };
      expect(plan.format_version, name).to.match(/^1\./);
      expect(plan.terraform_version, name).to.equal(manifest.terraformVersion);
      expect(plan.variables.routes_file!.value, name).to.equal(FIXTURE_VARIABLES.routes_file);
    }
  });

  describe("re-planned offline", function () {
    this.timeout(120_000);

    before(function () {
      requireTerraform(this);
    });

    it("create-only: today's terraform plans the same resources and actions as the committed fixture", async () => {
      const { mkdirSync, writeFileSync, copyFileSync } = await import("node:fs");
      const workspace = createWorkspace();
      try {
        writeFileSync(join(workspace.dir, "fixture.auto.tfvars.json"), JSON.stringify(FIXTURE_VARIABLES));
        mkdirSync(join(workspace.dir, "fixture-inputs"));
        writeFileSync(join(workspace.dir, FIXTURE_VARIABLES.lambda_package), "plan-review fixture: stands in for build/lambda.zip\n");
        copyFileSync(join(FIXTURES_DIR, "routes.json"), join(workspace.dir, FIXTURE_VARIABLES.routes_file));
        const fresh = (await offlinePlan(workspace, terraformEnv())) as Plan;
        const shape = (plan: Plan) =>
          (plan.resource_changes ?? []).map((change) => ({
            address: change.address,
            actions: change.change.actions,
            after: change.change.after,
          }));
        expect(shape(fresh), `the create-only fixture differs from a fresh plan: ${REGENERATE}`).to.deep.equal(
          shape(loadFixture("create-only")),
        );
      } finally {
        workspace.remove();
      }
    });
  });
});
