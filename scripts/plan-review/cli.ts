/**
 * `npm run --silent plan-review -- [--allow-destroy ADDRESS]... [--format markdown|json] PLAN_JSON`:
 * prints the review of a `terraform show -json` plan and exits 0, 2 (a protected resource would be
 * destroyed) or 1 (not a plan, or a usage error).
 */
import { readFile } from "node:fs/promises";
import { parseArgs, USAGE, UsageError } from "./args.js";
import { renderMarkdown } from "./markdown.js";
import { PlanInputError, parsePlan } from "./plan-json.js";
import { loadProtection } from "./protection.js";
import { EXIT_INVALID_INPUT, reviewPlan } from "./review.js";

async function readInput(input: string): Promise<string> {
  if (input !== "-") {
    try {
      return await readFile(input, "utf8");
    } catch (error) {
      throw new PlanInputError(`cannot read ${input}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const options = parseArgs(argv);
    if (options.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const plan = parsePlan(await readInput(options.input), options.input === "-" ? "stdin" : options.input);
    const review = reviewPlan(plan, { protection: loadProtection(options.config), allowDestroy: options.allowDestroy });
    process.stdout.write(options.format === "json" ? `${JSON.stringify(review, null, 2)}\n` : renderMarkdown(review));
    return review.exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`plan-review: ${error.message}\n\n${USAGE}\n`);
      return EXIT_INVALID_INPUT;
    }
    if (error instanceof PlanInputError) {
      process.stderr.write(`plan-review: ${error.message}\n`);
      return EXIT_INVALID_INPUT;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
