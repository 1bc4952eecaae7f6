/**
 * The emulator README's parity table against the tests it names: 28 rows (the last a deliberate deviation),
 * each behaviour the name of an `it` or `describe` in the test file of its row, so the table cannot claim a
 * test that does not exist.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect } from "chai";

const ROOT = resolve(import.meta.dirname, "../..");
const README = readFileSync(resolve(ROOT, "scripts/gateway-emulator/README.md"), "utf8");

const rows = README.split("\n")
  .filter((line) => /^\| \d+ \|/.test(line))
  .map((line) => {
    const cells = line.split(" | ").map((cell) => cell.replace(/^\| |\s*\|$/g, ""));
    return { number: Number(cells[0]), behaviour: cells[1]!, kind: cells[3]!, test: cells[4]! };
  });

describe("the emulator's parity table (scripts/gateway-emulator/README.md)", () => {
  it("has 28 rows, numbered 1 to 28", () => {
    expect(rows.map(({ number }) => number)).to.deep.equal(Array.from({ length: 28 }, (_, i) => i + 1));
  });

  for (const { number, behaviour, kind, test } of rows) {
    it(`row ${number} names a test of that name in ${test}, and says how AWS's behaviour is known`, () => {
      const source = readFileSync(resolve(ROOT, test), "utf8");
      const title = behaviour.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const declared = new RegExp(`\\b(?:it|describe)\\(\\s*(["'\`])${title}\\1`).test(source);
      expect(declared, `no it or describe named "${behaviour}" in ${test}`).to.equal(true);
      expect(kind).to.match(/^(documented|observed|not established|deviation)\b/);
    });
  }
});
