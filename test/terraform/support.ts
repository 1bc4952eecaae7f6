import { isAtLeast, MINIMUM_TERRAFORM, terraformVersion } from "../../scripts/terraform/lib/terraform.js";

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
