/**
 * The log groups moved into modules/log_group: a stack applied before that has them at their old addresses,
 * and its next plan must move them (the moved blocks in lambda_function and http_api), never delete them and
 * create them again. The state is seeded offline from a plan, as the plan-review fixtures' is.
 */
import { expect } from "chai";
import { runTool } from "../plan-review/support.js";
import { appliedState, describeWithWorkspace, planAgainst } from "./support.js";

/** Where each log group lived before modules/log_group => where it lives now. */
const MOVES = {
  "module.lambda.aws_cloudwatch_log_group.this": "module.lambda.module.log_group.aws_cloudwatch_log_group.this",
  "module.http_api.aws_cloudwatch_log_group.access": "module.http_api.module.access_log_group.aws_cloudwatch_log_group.this",
};

describeWithWorkspace("terraform: a stack applied before modules/log_group", (workspace) => {
  it("moves its two log groups to their new addresses, with nothing deleted or created", async () => {
    const state = await appliedState(workspace());
    // The same state with the log groups where the configuration before modules/log_group had them.
    for (const [from, to] of Object.entries(MOVES)) {
      const resource = state.resources.find((r) => `${r.module}.${r.type}.${r.name}` === to);
      expect(resource, to).to.exist;
      const [, module, name] = /^(module\.\w+)\.aws_cloudwatch_log_group\.(\w+)$/.exec(from)!;
      Object.assign(resource!, { module, name });
    }
    const plan = await planAgainst(workspace(), state);
    const groups = plan.resource_changes
      .filter((change) => change.type === "aws_cloudwatch_log_group")
      .map((change) => ({
        address: change.address,
        from: (change as { previous_address?: string }).previous_address,
        actions: change.change.actions,
      }));
    expect(groups).to.have.deep.members(Object.entries(MOVES).map(([from, to]) => ({ address: to, from, actions: ["no-op"] })));
  });
});

describeWithWorkspace("terraform: a stack applied before the access log group moved under /aws/vendedlogs/", (workspace) => {
  it("replaces the access log group, and the plan review flags it (exit 2) until allow-destroy names it", async () => {
    const address = "module.http_api.module.access_log_group.aws_cloudwatch_log_group.this";
    const state = await appliedState(workspace());
    const group = state.resources.find((r) => `${r.module}.${r.type}.${r.name}` === address)!;
    const attributes = group.instances[0]!.attributes;
    const oldName = "/aws/apigateway/auth-api/access";
    Object.assign(attributes, { name: oldName, id: oldName, arn: `arn:aws:logs:eu-west-1:123456789012:log-group:${oldName}` });
    const plan = await planAgainst(workspace(), state);
    const change = plan.resource_changes.find((c) => c.address === address)!;
    expect(change.change.actions).to.deep.equal(["delete", "create"]);
    const review = runTool(["-"], JSON.stringify(plan));
    expect(review.status, review.stdout + review.stderr).to.equal(2);
    expect(review.stdout).to.include(address);
    expect(runTool(["--allow-destroy", address, "-"], JSON.stringify(plan)).status).to.equal(0);
  });
});
