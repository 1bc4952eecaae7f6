import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Json, Marks, Plan } from "../../scripts/plan-review/plan-json.js";
import { REPO_ROOT } from "../../scripts/terraform/lib/terraform.js";
import { FIXTURES_DIR } from "./fixtures/sources.js";

export const CASE_NAMES = ["create-only", "update", "replace", "create-before-destroy", "delete", "removed"] as const;

export function fixturePath(name: string): string {
  return join(FIXTURES_DIR, `${name}.json`);
}

export function loadFixture(name: string): Plan {
  return JSON.parse(readFileSync(fixturePath(name), "utf8")) as Plan;
}

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], input: string | undefined): ToolRun {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, input, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The command line the package script runs, started by node itself: npm's start-up alone took ~600 ms a run. */
export function runTool(args: string[], input?: string): ToolRun {
  return run(process.execPath, ["--import", "tsx", join(REPO_ROOT, "scripts/plan-review/cli.ts"), ...args], input);
}

/** The tool exactly as documented: npm run --silent plan-review -- ARGS. */
export function runDocumentedCommand(args: string[], input?: string): ToolRun {
  return run("npm", ["run", "--silent", "plan-review", "--", ...args], input);
}

/** Every string or number a plan marks sensitive, in resources, outputs and variables. */
export function sensitiveValues(plan: Plan & { variables?: Record<string, { value: Json }>; configuration?: any }): string[] {
  const found = new Set<string>();
  const collect = (value: Json | undefined, marks: Marks, under = false) => {
    const marked = under || marks === true;
    if (value === null || value === undefined) return;
    if (typeof value !== "object") {
      if (marked) found.add(String(value));
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      const child = marks && typeof marks === "object" ? (marks as Record<string, Marks>)[key] : undefined;
      collect(item, child, marked);
    }
  };
  for (const change of plan.resource_changes ?? []) {
    collect(change.change.before, change.change.before_sensitive);
    collect(change.change.after, change.change.after_sensitive);
  }
  const declared = plan.configuration?.root_module?.outputs ?? {};
  for (const [name, change] of Object.entries(plan.output_changes ?? {})) {
    collect(change.before, change.before_sensitive, declared[name]?.sensitive === true);
    collect(change.after, change.after_sensitive, declared[name]?.sensitive === true);
  }
  const variables = plan.configuration?.root_module?.variables ?? {};
  for (const [name, variable] of Object.entries(plan.variables ?? {})) {
    if (variables[name]?.sensitive) collect(variable.value, true);
  }
  return [...found];
}

/** What to do about stale fixtures. */
export const REGENERATE = "regenerate them: npx tsx test/plan-review/fixtures/generate.ts (about two minutes, offline)";
