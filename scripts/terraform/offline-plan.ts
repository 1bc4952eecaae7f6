/**
 * `npx tsx scripts/terraform/offline-plan.ts [out.json]`: plans the whole stack without AWS (fake
 * credentials in a temporary copy) and writes `terraform show -json` to build/terraform/plan.json.
 * Needs `make build` first (build/routes.json, build/lambda.zip).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createWorkspace, offlinePlan, TERRAFORM_BUILD_DIR } from "./lib/terraform.js";

const out = process.argv[2] ?? join(TERRAFORM_BUILD_DIR, "plan.json");
const workspace = createWorkspace();
try {
  writeFileSync(out, `${JSON.stringify(await offlinePlan(workspace), null, 2)}\n`);
  console.log(`offline plan written to ${out}`);
} finally {
  workspace.remove();
}
