import { expect } from "chai";
import fc from "fast-check";
import { createLogger, type LogFields } from "../../lambda/src/log.js";
import { createRouteMetrics } from "../../lambda/src/metrics/emf.js";

/** The logger writes lines by hand for speed; they must be byte for byte what JSON.stringify gives. */
describe("logger", () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, logger: createLogger((line) => lines.push(line)) };
  };
  const expected = (level: string, message: string, line: string, fields: LogFields) =>
    JSON.stringify({ level, message, time: (JSON.parse(line) as { time: string }).time, ...fields });

  const key = fc.oneof(
    fc.constantFrom(
      "requestId",
      "routeKey",
      "status",
      "durationMs",
      "userId",
      "level",
      "time",
      "message",
      "0",
      "12",
      "__proto__",
      'a"b',
      "é",
    ),
    fc.string(),
  );
  const value = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.double(),
    fc.integer(),
    fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 100),
    fc.constantFrom(0, -0, 1e21, -1e-7, Number.NaN, Infinity, 2 ** 31 / 100, 0.1 + 0.2),
    fc.boolean(),
    fc.constant(undefined),
  );

  it("writes exactly JSON.stringify({level, message, time, ...fields})", () => {
    fc.assert(
      fc.property(fc.dictionary(key, value), fc.constantFrom("info", "error"), fc.string(), (fields, level, message) => {
        const { lines, logger } = capture();
        (level === "info" ? logger.info : logger.error)(message, fields);
        expect(lines).to.have.length(1);
        expect(lines[0]).to.equal(expected(level, message, lines[0]!, fields));
      }),
      { numRuns: 2000 },
    );
  });

  it("with a request's metrics, writes that line with the metrics' members after the fields, stamped with the line's time", () => {
    const documents = [200, 401, 503].map((status) => createRouteMetrics("auth-api", "POST /login").document(status, 1));
    fc.assert(
      fc.property(fc.dictionary(key, value), fc.constantFrom(...documents), fc.string(), (fields, document, message) => {
        const { lines, logger } = capture();
        logger.info(message, fields, document);
        const line = lines[0]!;
        const root = JSON.parse(line) as { time?: string; _aws: { Timestamp: number } };
        const timestamp = root._aws.Timestamp;
        expect(line).to.equal(`${expected("info", message, line, fields).slice(0, -1)}${document.prefix}${timestamp}${document.suffix}}`);
        if (!("time" in fields)) expect(timestamp).to.equal(Date.parse(root.time!));
      }),
      { numRuns: 1000 },
    );
  });

  it("stamps the current time as toISOString does", () => {
    const { lines, logger } = capture();
    const before = Date.now();
    logger.info("request", { status: 200 });
    const after = Date.now();
    const { time } = JSON.parse(lines[0]!) as { time: string };
    expect(time).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(time)).to.be.within(before, after);
    expect(new Date(Date.parse(time)).toISOString()).to.equal(time);
  });
});
