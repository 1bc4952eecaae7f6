/**
 * The fixtures are real and current: made by fixtures/generate.ts from the Terraform sources whose hash
 * manifest.json records. Regenerating all six takes about two minutes, so this compares the hash (instant,
 * no terraform); test/terraform/plan-review-fixtures.test.ts re-plans the create-only case to compare it
 * with the committed one.
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import type { Plan } from "../../scripts/plan-review/plan-json.js";
import { CASES, FIXTURE_VARIABLES } from "./fixtures/cases.js";
import { fixtureInputsHash, MANIFEST } from "./fixtures/sources.js";
import { CASE_NAMES, loadFixture, REGENERATE } from "./support.js";

describe("plan review: the fixtures", () => {
  const manifest = JSON.parse(readFileSync(MANIFEST, "utf8")) as {
    inputsSha256: string;
    terraformVersion: string;
    cases: Record<string, string>;
  };

  it("were generated from the current Terraform sources, fixture inputs and fixture script", () => {
    expect(fixtureInputsHash(), `the fixtures are stale: ${REGENERATE}`).to.equal(manifest.inputsSha256);
  });

  it("are the six cases", () => {
    expect(CASES.map((fixture) => fixture.name)).to.deep.equal([...CASE_NAMES]);
    expect(Object.keys(manifest.cases)).to.deep.equal([...CASE_NAMES]);
  });

  for (const name of CASE_NAMES) {
    it(`${name}: a plan made by terraform`, () => {
      const plan = loadFixture(name) as Plan & { variables: Record<string, { value: unknown }> };
      expect(plan.format_version, name).to.match(/^1\./);
      expect(plan.terraform_version, name).to.equal(manifest.terraformVersion);
      expect(plan.variables.routes_file!.value, name).to.equal(FIXTURE_VARIABLES.routes_file);
    });
  }
});
