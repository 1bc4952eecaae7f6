import { expect } from "chai";
import { buildComment, COMMENT_MARKER, GITHUB_COMMENT_LIMIT } from "../../scripts/plan-review/comment.js";

const URL = "https://github.com/o/r/actions/runs/1/artifacts/2";

describe("plan review: the sticky PR comment", () => {
  it("starts with the marker the workflow finds it by, and links the plan artifact", () => {
    const body = buildComment("## Terraform plan review\n\n**Plan:** no changes.\n", { artifactUrl: URL });
    expect(body.startsWith(`${COMMENT_MARKER}\n## Terraform plan review`)).to.equal(true);
    expect(body).to.include(`(${URL})`).and.not.include("Cut to fit");
  });

  it("cuts a long review at a whole line to 65,535 characters, with a pointer to the artifact", () => {
    const review = Array.from({ length: 5000 }, (_, i) => `| row ${i} | 🙂 ${"x".repeat(20)} |`).join("\n");
    const body = buildComment(review, { artifactUrl: URL });
    expect(Array.from(body).length).to.be.at.most(GITHUB_COMMENT_LIMIT);
    expect(Array.from(body).length).to.be.above(GITHUB_COMMENT_LIMIT - 200);
    expect(body).to.include("Cut to fit GitHub's 65,535-character comment limit").and.include(`(${URL})`);
    const lastRow = body.split("\n---\n")[0]!.trimEnd().split("\n").at(-1)!;
    expect(lastRow).to.match(/^\| row \d+ \| 🙂 x{20} \|$/);
  });
});
