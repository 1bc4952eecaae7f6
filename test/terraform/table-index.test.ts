/**
 * The users-by-id index came after the table: a stack applied before it has a table without the index, and
 * its next plan must add the index to that table in place, never replace the table (and its data). The
 * state is seeded offline from a plan, as the plan-review fixtures' is.
 */
import { expect } from "chai";
import { appliedState, describeWithWorkspace, planAgainst } from "./support.js";

describeWithWorkspace("terraform: a table applied before the users-by-id index", (workspace) => {
  it("gets the index in place: the table is updated, not replaced", async () => {
    const state = await appliedState(workspace());
    const table = state.resources.find((resource) => resource.type === "aws_dynamodb_table")!;
    const attributes = table.instances[0]!.attributes as Record<string, unknown>;
    expect(attributes.global_secondary_index, "the seeded table has the index").to.have.length(1);
    // As the table was before: its key attribute only, no index.
    attributes.global_secondary_index = [];
    attributes.attribute = (attributes.attribute as { name: string }[]).filter((attribute) => attribute.name === "pk");
    const plan = await planAgainst(workspace(), state);
    const change = plan.resource_changes.find((resource) => resource.type === "aws_dynamodb_table")!;
    expect(change.change.actions).to.deep.equal(["update"]);
    expect(
      (change.change.after as { global_secondary_index: { name: string }[] }).global_secondary_index.map((index) => index.name),
    ).to.deep.equal(["users-by-id"]);
  });
});
