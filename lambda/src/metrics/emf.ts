/**
 * CloudWatch Embedded Metric Format: the metrics of a request ride in its one log line, which CloudWatch
 * Logs turns into metrics as it ingests the line (no second line, no PutMetricData call).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 *
 * What the specification asks, and how this meets it: the root holds `_aws` with `Timestamp` (milliseconds
 * since the epoch) and `CloudWatchMetrics`, an array of directives of exactly `Namespace`, `Dimensions` (an
 * array of dimension sets, each at most 30 keys, possibly empty) and `Metrics` (at most 100 definitions of
 * `Name` and `Unit`); every dimension key and metric name is a member of the root, a string (at most 1,024
 * characters) for a dimension, a number for a metric. Here: one namespace; the route metrics in a directive
 * with the one dimension set `[route]`, the event metrics (when there are any) in a directive with the empty
 * set, so they are metrics of the namespace alone. No dimension ever names a user or a request: each distinct
 * dimension value is a custom metric, billed.
 *
 * The document is a line's tail, built once per route, status class and set of events, and then reused: a
 * request pays a Map lookup and its timestamp, never a JSON.stringify. The log record must not use the
 * members it adds (`_aws`, `route`, the metric names); the router's record never does.
 */
import { EVENT_METRICS } from "./events.js";
import catalogue from "./metrics.json" with { type: "json" };

export type RouteMetric = keyof typeof catalogue.routeMetrics;

export const ROUTE_DIMENSION = catalogue.routeDimension;

/** The namespace when none is configured: the stack's default name (Terraform sets the stack's own). */
export const DEFAULT_METRICS_NAMESPACE = "auth-api";

/** The metrics of one request, as the end of its log line: `${prefix}${timestamp}${suffix}` before the closing brace. */
export interface EmfDocument {
  prefix: string;
  suffix: string;
}

export interface RouteMetrics {
  document(status: number, events: number): EmfDocument;
}

const TIMESTAMP = '"Timestamp":0';

/** The metrics of one route of the function, in `namespace`. */
export function createRouteMetrics(namespace: string, route: string): RouteMetrics {
  const documents = new Map<number, EmfDocument>();
  return {
    document(status, events) {
      const statusMetric: RouteMetric | undefined = status >= 500 ? "ServerErrors" : status >= 400 ? "ClientErrors" : undefined;
      const key = events * 3 + (statusMetric === "ServerErrors" ? 2 : statusMetric === "ClientErrors" ? 1 : 0);
      let document = documents.get(key);
      if (document === undefined) {
        document = build(namespace, route, statusMetric === undefined ? ["Requests"] : ["Requests", statusMetric], events);
        documents.set(key, document);
      }
      return document;
    },
  };
}

function build(namespace: string, route: string, routeMetrics: RouteMetric[], events: number): EmfDocument {
  const eventMetrics = EVENT_METRICS.filter((_, index) => (events & (1 << index)) !== 0);
  const definitions = (names: string[]) => names.map((name) => ({ Name: name, Unit: "Count" }));
  const directives = [{ Namespace: namespace, Dimensions: [[ROUTE_DIMENSION]], Metrics: definitions(routeMetrics) }];
  if (eventMetrics.length > 0) directives.push({ Namespace: namespace, Dimensions: [[]], Metrics: definitions(eventMetrics) });
  const values = Object.fromEntries([...routeMetrics, ...eventMetrics].map((name) => [name, 1]));
  const json = JSON.stringify({ _aws: { Timestamp: 0, CloudWatchMetrics: directives }, [ROUTE_DIMENSION]: route, ...values });
  const at = json.indexOf(TIMESTAMP) + TIMESTAMP.length - 1;
  return { prefix: `,${json.slice(1, at)}`, suffix: json.slice(at + 1, -1) };
}
