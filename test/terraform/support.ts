import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  createWorkspace,
  isAtLeast,
  MINIMUM_TERRAFORM,
  offlinePlan,
  terraform,
  terraformEnv,
  terraformVersion,
  type Workspace,
} from "../../scripts/terraform/lib/terraform.js";
import { type PlanLike, type ProviderSchemas, type StateV4, stateFromPlan } from "../plan-review/fixtures/seed-state.js";

/** The terraform suite needs 1.11 (override_during in the module tests); the modules themselves need 1.10. */
const MINIMUM_FOR_TESTS = [1, 11] as const;

let checked: { version: string | undefined } | undefined;

/**
 * Call in a `before` hook: with CI=true a missing or old terraform fails the run; elsewhere the suite is
 * skipped with a notice nobody can miss.
 */
export function requireTerraform(context: Mocha.Context): void {
  checked ??= { version: terraformVersion() };
  const { version } = checked;
  const usable = version !== undefined && isAtLeast(version, MINIMUM_FOR_TESTS) && isAtLeast(version, MINIMUM_TERRAFORM);
  if (usable) return;
  const problem = version === undefined ? "terraform is not on PATH" : `terraform ${version} is older than ${MINIMUM_FOR_TESTS.join(".")}`;
  if (process.env.CI === "true") throw new Error(`${problem}: the Terraform checks cannot run, and CI=true requires them`);
  console.warn(
    [
      "",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      `!!! SKIPPING the Terraform checks: ${problem}.`,
      "!!! fmt, validate, terraform test, the offline plan and its policy and contract",
      "!!! tests did NOT run. Install Terraform >= 1.11 to run them (CI=true makes this fatal).",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      "",
    ].join("\n"),
  );
  context.skip();
}

/** The stack planned as configured, and a state as if that plan had been applied, seeded offline as the plan-review fixtures' is. */
export async function appliedState(workspace: Workspace, env = terraformEnv()): Promise<StateV4> {
  const created = (await offlinePlan(workspace, env)) as PlanLike;
  const { stdout } = await terraform(["providers", "schema", "-json"], { cwd: workspace.dir, env });
  return stateFromPlan(created, JSON.parse(stdout) as ProviderSchemas);
}

/** The offline plan against `state`, which is written into the workspace for this plan only. */
export async function planAgainst(workspace: Workspace, state: StateV4, env = terraformEnv()): Promise<PlanLike> {
  const stateFile = join(workspace.dir, "terraform.tfstate");
  writeFileSync(stateFile, JSON.stringify(state));
  try {
    return (await offlinePlan(workspace, env)) as PlanLike;
  } finally {
    rmSync(stateFile, { force: true });
  }
}

/** A suite with an offline copy of the stack of its own (a temporary folder), skipped without Terraform. */
export function describeWithWorkspace(title: string, suite: (workspace: () => Workspace) => void): void {
  describe(title, function () {
    this.timeout(120_000);
    let workspace: Workspace | undefined;
    before(function () {
      requireTerraform(this);
      workspace = createWorkspace();
    });
    after(() => workspace?.remove());
    suite(() => workspace!);
  });
}
