/**
 * The plan-review fixtures agree with today's Terraform: the create-only case, planned again offline, has
 * the same resources, actions and values as the committed fixture.
 */
import { expect } from "chai";
import type { Plan } from "../../scripts/plan-review/plan-json.js";
import { createWorkspace, offlinePlan, terraformEnv } from "../../scripts/terraform/lib/terraform.js";
import { writeFixtureInputs } from "../plan-review/fixtures/generate.js";
import { loadFixture, REGENERATE } from "../plan-review/support.js";
import { requireTerraform } from "./support.js";

describe("plan review: the fixtures", () => {
  describe("re-planned offline", function () {
    this.timeout(120_000);

    before(function () {
      requireTerraform(this);
    });

    it("create-only: today's terraform plans the same resources and actions as the committed fixture", async () => {
      const workspace = createWorkspace();
      try {
        writeFixtureInputs(workspace);
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
