import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { createWorkspace, TERRAFORM_DIR, terraform, terraformEnv, type Workspace } from "../../scripts/terraform/lib/terraform.js";
import { requireTerraform } from "./support.js";

const MODULES = readdirSync(join(TERRAFORM_DIR, "modules")).sort();
/** terraform/bootstrap: a root module of its own, with its own lock file (the same pins as the stack's). */
const BOOTSTRAP = "bootstrap";

describe("terraform: fmt, validate and terraform test (offline)", function () {
  this.timeout(120_000);
  let workspace: Workspace;
  const env = terraformEnv();

  before(async function () {
    requireTerraform(this);
    workspace = createWorkspace();
    // Modules have no lock file of their own; the root's pins the same provider for their tests.
    for (const module of MODULES) {
      copyFileSync(join(workspace.dir, ".terraform.lock.hcl"), join(workspace.dir, "modules", module, ".terraform.lock.hcl"));
    }
  });

  after(() => workspace?.remove());

  it("is formatted (terraform fmt -check -recursive)", async () => {
    const { code, stdout } = await terraform(["fmt", "-check", "-recursive"], { cwd: TERRAFORM_DIR, env, allowFailure: true });
    expect(code, `not formatted:\n${stdout}`).to.equal(0);
  });

  it("initialises from the committed lock file and validates", async () => {
    await terraform(["init", "-backend=false", "-input=false", "-lockfile=readonly"], { cwd: workspace.dir, env });
    const { stdout } = await terraform(["validate", "-json"], { cwd: workspace.dir, env });
    const result = JSON.parse(stdout) as { valid: boolean; warning_count: number; diagnostics: unknown[] };
    expect(result, JSON.stringify(result.diagnostics, null, 2)).to.include({ valid: true, warning_count: 0 });
  });

  it("passes the root module's terraform test (the stack, mocked)", async () => {
    const { stdout } = await terraform(["test"], { cwd: workspace.dir, env });
    expect(stdout).to.match(/Success! \d+ passed, 0 failed/);
  });

  for (const module of MODULES) {
    it(`passes terraform test in modules/${module}`, async () => {
      const cwd = join(workspace.dir, "modules", module);
      await terraform(["init", "-backend=false", "-input=false", "-lockfile=readonly"], { cwd, env });
      const { stdout } = await terraform(["test"], { cwd, env });
      expect(stdout).to.match(/Success! \d+ passed, 0 failed/);
    });
  }

  it("initialises terraform/bootstrap from its committed lock file, validates it and passes its terraform test", async () => {
    const cwd = join(workspace.dir, BOOTSTRAP);
    expect(readFileSync(join(TERRAFORM_DIR, BOOTSTRAP, ".terraform.lock.hcl"), "utf8"), "the same provider pins as the stack").to.equal(
      readFileSync(join(TERRAFORM_DIR, ".terraform.lock.hcl"), "utf8"),
    );
    await terraform(["init", "-backend=false", "-input=false", "-lockfile=readonly"], { cwd, env });
    const { stdout: validation } = await terraform(["validate", "-json"], { cwd, env });
    const result = JSON.parse(validation) as { valid: boolean; warning_count: number; diagnostics: unknown[] };
    expect(result, JSON.stringify(result.diagnostics, null, 2)).to.include({ valid: true, warning_count: 0 });
    const { stdout } = await terraform(["test"], { cwd, env });
    expect(stdout).to.match(/Success! \d+ passed, 0 failed/);
  });

  for (const module of ["", BOOTSTRAP, ...MODULES.map((name) => `modules/${name}`)]) {
    it(`has an expect_failures run for each validation block in ${module || "the root module"}`, () => {
      const dir = join(TERRAFORM_DIR, module);
      const validations = count(readFileSync(join(dir, "variables.tf"), "utf8"), /^\s+validation \{/gm);
      const tests = readdirSync(join(dir, "tests")).filter((name) => name.endsWith(".tftest.hcl"));
      const rejections = tests.reduce(
        (sum, name) => sum + count(readFileSync(join(dir, "tests", name), "utf8"), /^\s+expect_failures = \[var\./gm),
        0,
      );
      expect(rejections).to.be.at.least(validations);
    });
  }
});

function count(text: string, pattern: RegExp): number {
  return (text.match(pattern) ?? []).length;
}
