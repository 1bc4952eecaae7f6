/**
 * The review of a saved plan file (`terraform plan -out=FILE`), for `make plan` and the key set's applies:
 * `terraform show -json`, then the review, printed as Markdown.
 */
import { spawnSync } from "node:child_process";
import { renderMarkdown } from "./markdown.js";
import { parsePlan } from "./plan-json.js";
import { loadProtection } from "./protection.js";
import { type Review, reviewPlan } from "./review.js";

export function reviewSavedPlan(
  planFile: string,
  { allowDestroy = [], ...options }: { cwd: string; env: NodeJS.ProcessEnv; allowDestroy?: string[] },
): Review {
  const shown = spawnSync("terraform", ["show", "-json", planFile], { ...options, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 });
  if (shown.status !== 0)
    throw new Error(`terraform show -json ${planFile} failed (exit ${shown.status ?? shown.signal}):\n${shown.stderr}`);
  return reviewPlan(parsePlan(shown.stdout, planFile), { protection: loadProtection(), allowDestroy });
}

/** Prints the review after the plan; returns its exit status (0, or 2 for a destructive change to a protected resource). */
export function printSavedPlanReview(planFile: string, options: { cwd: string; env: NodeJS.ProcessEnv }): number {
  const review = reviewSavedPlan(planFile, options);
  process.stdout.write(`\n${renderMarkdown(review)}`);
  return review.exitCode;
}
