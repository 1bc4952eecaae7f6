/**
 * `npx tsx scripts/plan-review/comment-cli.ts --artifact-url URL REVIEW_MD > comment.md`: the sticky PR
 * comment for a review (see comment.ts). Used by .github/workflows/terraform.yml.
 */
import { readFileSync } from "node:fs";
import { buildComment } from "./comment.js";

const argv = process.argv.slice(2);
const at = argv.indexOf("--artifact-url");
const artifactUrl = at >= 0 ? (argv.splice(at, 2)[1] ?? "") : "";
if (argv.length !== 1) {
  process.stderr.write("usage: comment-cli.ts [--artifact-url URL] REVIEW_MD\n");
  process.exit(1);
}
process.stdout.write(buildComment(readFileSync(argv[0] === "-" ? 0 : argv[0]!, "utf8"), { artifactUrl }));
