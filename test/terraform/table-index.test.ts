/**
 * The users-by-id index came after the table: a stack applied before it has a table without the index, and
 * its next plan must add the index to that table in place, never replace the table (and its data). The
 * state is seeded offline from a plan, as the plan-review fixtures' is.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { createWorkspace, offlinePlan, terraform, terraformEnv, type Workspace } from "../../scripts/terraform/lib/terraform.js";
import { type PlanLike, type ProviderSchemas, stateFromPlan } from "../plan-review/fixtures/seed-state.js";
import { requireTerraform } from "./support.js";

describe("terraform: a table applied before the users-by-id index", function () {
  this.timeout(120_000);
  let workspace: Workspace;

  before(function () {
    requireTerraform(this);
    workspace = createWorkspace();
  });

  after(() => workspace?.remove());

  it("gets the index in place: the table is updated, not replaced", async () => {
    const env = terraformEnv();
    const created = (await offlinePlan(workspace, env)) as PlanLike;
    const { stdout } = await terraform(["providers", "schema", "-json"], { cwd: workspace.dir, env });
    const state = stateFromPlan(created, JSON.parse(stdout) as ProviderSchemas);
    const table = state.resources.find((resource) => resource.type === "aws_dynamodb_table")!;
    const attributes = table.instances[0]!.attributes as Record<string, unknown>;
    expect(attributes.global_secondary_index, "the seeded table has the index").to.have.length(1);
    // As the table was before: its key attribute only, no index.
    attributes.global_secondary_index = [];
    attributes.attribute = (attributes.attribute as { name: string }[]).filter((attribute) => attribute.name === "pk");
    const stateFile = join(workspace.dir, "terraform.tfstate");
    writeFileSync(stateFile, JSON.stringify(state));
    try {
      const plan = (await offlinePlan(workspace, env)) as PlanLike;
      const change = plan.resource_changes.find((resource) => resource.type === "aws_dynamodb_table")!;
      expect(change.change.actions).to.deep.equal(["update"]);
      expect(
        (change.change.after as { global_secondary_index: { name: string }[] }).global_secondary_index.map((index) => index.name),
      ).to.deep.equal(["users-by-id"]);
    } finally {
      rmSync(stateFile, { force: true });
    }
  });
});
