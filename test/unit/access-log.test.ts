import { expect } from "chai";
import fc from "fast-check";
import { compileAccessLog } from "../../scripts/gateway-emulator/access-log.js";

/** The access-log line is written field by field for speed; it must be what JSON.stringify gives for the filled-in format. */
describe("gateway access log", () => {
  const variables = ["requestId", "identity.sourceIp", "status", "routeKey", "responseLatency", "authorizer.error"];
  const template = fc
    .array(
      fc.oneof(
        fc.constantFrom(...variables).map((name) => `$context.${name}`),
        fc.string({ unit: "binary" }),
      ),
      { maxLength: 4 },
    )
    .map((parts) => parts.join(""));
  const value = fc.oneof(fc.string({ unit: "binary" }), fc.integer(), fc.constant(undefined), fc.constant(""));

  const reference = (format: Record<string, string>, context: Record<string, string | number | undefined>) =>
    JSON.stringify(
      Object.fromEntries(
        Object.entries(format).map(([field, text]) => [
          field,
          text.replace(/\$context\.[A-Za-z0-9_.]+/g, (variable) => {
            const resolved = context[variable.slice("$context.".length)];
            return resolved === undefined || resolved === "" ? "-" : String(resolved);
          }),
        ]),
      ),
    );

  it("writes exactly JSON.stringify of the format with each $context variable filled in, and '-' for a missing or empty one", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.string({ unit: "binary" }), fc.constantFrom("0", "7", "__proto__")), template),
        fc.record(Object.fromEntries(variables.map((name) => [name, value]))),
        (format, context) => {
          expect(compileAccessLog(format)(context)).to.equal(reference(format, context));
        },
      ),
      { numRuns: 1000, seed: 20261122 },
    );
  });

  it("fills the stage's format", () => {
    const line = compileAccessLog({
      requestId: "$context.requestId",
      route: "$context.routeKey ($context.status)",
      error: "$context.integrationErrorMessage",
    });
    expect(JSON.parse(line({ requestId: "r-1", routeKey: "GET /me", status: 200 }))).to.deep.equal({
      requestId: "r-1",
      route: "GET /me (200)",
      error: "-",
    });
  });
});
