/**
 * Reads a log line the way CloudWatch Logs reads an embedded-metric-format document, checking every rule of
 * the specification on the way, and returns the metrics it defines.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { expect } from "chai";
import { readJsonObject } from "../../lambda/src/http/json-body.js";

/** One metric as CloudWatch would store it: its identity (namespace, name, dimensions) and the value. */
export interface EmfMetric {
  namespace: string;
  name: string;
  unit: string | undefined;
  dimensions: Record<string, string>;
  value: number;
}

/** The units MetricDatum accepts (the specification's schema lists the same). */
const UNITS = new Set(
  "Seconds Microseconds Milliseconds Bytes Kilobytes Megabytes Gigabytes Terabytes Bits Kilobits Megabits Gigabits Terabits Percent Count Bytes/Second Kilobytes/Second Megabytes/Second Gigabytes/Second Terabytes/Second Bits/Second Kilobits/Second Megabits/Second Gigabits/Second Terabits/Second Count/Second None".split(
    " ",
  ),
);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isNumeric = (value: unknown) =>
  (typeof value === "number" && Number.isFinite(value)) ||
  (Array.isArray(value) && value.length <= 100 && value.every((item) => typeof item === "number" && Number.isFinite(item)));

/** The root node: one JSON object, no duplicate keys (two readers could disagree about a duplicated one). */
function parseRoot(line: string): Record<string, unknown> {
  const asBody = {
    headers: { "content-type": "application/json" },
    body: line,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  return readJsonObject(asBody);
}

export function emfMetrics(line: string): EmfMetric[] {
  const root = parseRoot(line);
  const metadata = root._aws;
  expect(isObject(metadata), "_aws is an object").to.equal(true);
  const { CloudWatchMetrics: directives, Timestamp: timestamp, ...extra } = metadata as Record<string, unknown>;
  expect(extra, "_aws has no member beyond CloudWatchMetrics and Timestamp").to.deep.equal({});
  expect(Number.isInteger(timestamp) && (timestamp as number) > 0, "Timestamp: milliseconds since the epoch").to.equal(true);
  expect(Array.isArray(directives) && directives.length > 0, "CloudWatchMetrics: an array of directives").to.equal(true);

  const metrics: EmfMetric[] = [];
  const seenNames = new Set<string>();
  for (const directive of directives as unknown[]) {
    expect(isObject(directive), "a directive is an object").to.equal(true);
    const { Namespace: namespace, Dimensions: dimensionSets, Metrics: definitions, ...more } = directive as Record<string, unknown>;
    expect(more, "a directive has exactly Namespace, Dimensions and Metrics").to.deep.equal({});
    expect(namespace, "Namespace").to.be.a("string").with.length.within(1, 255);
    expect(namespace as string, "a custom namespace").not.to.match(/^AWS\//i);
    expect(Array.isArray(dimensionSets) && dimensionSets.length > 0, "Dimensions: an array of dimension sets").to.equal(true);
    const keys = new Set<string>();
    for (const set of dimensionSets as unknown[]) {
      expect(Array.isArray(set) && set.length <= 30, "a dimension set: an array of at most 30 keys").to.equal(true);
      for (const key of set as unknown[]) {
        expect(key, "a dimension key").to.be.a("string").with.length.within(1, 250);
        const value = root[key as string];
        expect(value, `dimension ${String(key)}: a string member of the root`)
          .to.be.a("string")
          .with.length.within(1, 1024);
        keys.add(key as string);
      }
    }
    expect(Array.isArray(definitions) && definitions.length > 0 && definitions.length <= 100, "Metrics: 1 to 100 definitions").to.equal(
      true,
    );
    for (const definition of definitions as unknown[]) {
      expect(isObject(definition), "a metric definition is an object").to.equal(true);
      const { Name: name, Unit: unit, StorageResolution: resolution, ...rest } = definition as Record<string, unknown>;
      expect(rest, "a definition has only Name, Unit and StorageResolution").to.deep.equal({});
      expect(name, "Name").to.be.a("string").with.length.within(1, 1024);
      expect(isNumeric(root[name as string]), `metric ${String(name)}: a numeric member of the root`).to.equal(true);
      expect(keys.has(name as string), `${String(name)} is a metric and a dimension`).to.equal(false);
      expect(seenNames.has(name as string), `${String(name)} is declared once`).to.equal(false);
      seenNames.add(name as string);
      if (unit !== undefined) expect(UNITS.has(unit as string), `Unit ${String(unit)}`).to.equal(true);
      if (resolution !== undefined) expect([1, 60], "StorageResolution").to.include(resolution);
      const value = root[name as string] as number;
      for (const set of dimensionSets as string[][]) {
        metrics.push({
          namespace: namespace as string,
          name: name as string,
          unit: unit as string | undefined,
          dimensions: Object.fromEntries(set.map((key) => [key, root[key] as string])),
          value,
        });
      }
    }
  }
  return metrics;
}

/** `{ name: value }` of a line's metrics, for assertions that read better than the list. */
export function metricValues(line: string): Record<string, number> {
  return Object.fromEntries(emfMetrics(line).map((metric) => [metric.name, metric.value]));
}
