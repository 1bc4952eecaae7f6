import { expect } from "chai";
import { changedAttributes } from "../../scripts/plan-review/attributes.js";
import { redact } from "../../scripts/plan-review/sensitive.js";

describe("plan review: changed attributes and redaction", () => {
  it("stops at a sensitive value: neither its content nor a sensitive map's keys are named", () => {
    const found = changedAttributes({
      actions: ["update"],
      before: { tags: { a: "1" }, secrets: { API_KEY: "old" }, size: 1, list: [1, 2] },
      after: { tags: { a: "2", b: "3" }, secrets: { API_KEY: "new", OTHER: "x" }, size: 1, list: [1, 2, 3] },
      before_sensitive: { secrets: true },
      after_sensitive: { secrets: true },
      after_unknown: { arn: true },
    });
    expect(found).to.deep.equal([
      { path: "tags.a", sensitive: false, unknown: false },
      { path: "tags.b", sensitive: false, unknown: false },
      { path: "secrets", sensitive: true, unknown: false },
      { path: "list", sensitive: false, unknown: false },
      { path: "arn", sensitive: false, unknown: true },
    ]);
  });

  it("redacts every marked part of a value", () => {
    expect(redact({ a: "x", b: ["y", "z"], c: { d: "w" } }, { b: [false, true], c: true })).to.deep.equal({
      a: "x",
      b: ["y", "(sensitive value)"],
      c: "(sensitive value)",
    });
  });
});
