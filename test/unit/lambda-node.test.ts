/**
 * scripts/lambda-node pins the Node that make test runs on when the machine's is older than the Lambda
 * runtime's: the pins must be that major, and optional per platform, so npm ci there never fails elsewhere.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { LAMBDA_NODE_MAJOR, LAMBDA_RUNTIME } from "../../scripts/lib/lambda-runtime.js";
import { REPO_ROOT } from "../../scripts/terraform/lib/terraform.js";

const dir = join(REPO_ROOT, "scripts/lambda-node");
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8"));

describe("scripts/lambda-node: the Node make test runs on", () => {
  it(`the Lambda runtime is ${LAMBDA_RUNTIME}, so Node ${LAMBDA_NODE_MAJOR}`, () => {
    expect(LAMBDA_NODE_MAJOR).to.equal(Number(LAMBDA_RUNTIME.match(/^nodejs(\d+)\.x$/)![1]));
  });

  it("pins only optional node-<platform>-<arch> packages of that major, the same version for each", () => {
    expect(pkg).not.to.have.property("dependencies");
    const pins = Object.entries(pkg.optionalDependencies as Record<string, string>);
    expect(pins).not.to.be.empty;
    for (const [name, version] of pins) {
      expect(name).to.match(/^node-(linux|darwin|win)-[a-z0-9]+$/);
      expect(version, name).to.match(new RegExp(`^${LAMBDA_NODE_MAJOR}\\.\\d+\\.\\d+$`));
    }
    expect(new Set(pins.map(([, version]) => version)).size).to.equal(1);
  });

  for (const name of Object.keys(pkg.optionalDependencies)) {
    it(`locks ${name} at the pinned version with its integrity, optional and only for its own platform`, () => {
      const locked = lock.packages[`node_modules/${name}`];
      const [, os, cpu] = /^node-([a-z]+)-([a-z0-9]+)$/.exec(name)!;
      expect(locked).to.include({ version: pkg.optionalDependencies[name], optional: true });
      expect(locked.integrity).to.match(/^sha512-/);
      expect([locked.os].flat()).to.deep.equal([os]);
      expect([locked.cpu].flat()).to.deep.equal([cpu]);
    });
  }
});
