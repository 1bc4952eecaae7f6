import { execFileSync } from "node:child_process";
import { expect } from "chai";

/** An independent judge of build/openapi.json: Redocly's linter, offline, with its recommended rules (redocly.yaml). */
describe("build/openapi.json, linted by Redocly CLI", () => {
  it("passes Redocly's linter with its recommended rules, with no error and no warning", function () {
    this.timeout(60_000);
    const output = execFileSync("npx", ["redocly", "lint", "build/openapi.json", "--format", "stylish"], {
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(output).to.not.match(/warning|error/i);
  });
});
