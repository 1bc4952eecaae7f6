/**
 * The metrics that exist for the stack to alarm on and draw: those AWS sends for its resources, with the
 * dimensions the stack reads them by, and the function's own (lambda/src/metrics/metrics.json). An alarm or a
 * graph on anything else would watch a metric nobody writes, and stay silent.
 */
import catalogue from "../../lambda/src/metrics/metrics.json" with { type: "json" };

interface Family {
  names: string[];
  /** Dimension names, sorted. */
  dimensions: string[];
  source: string;
}

export const AWS_METRICS: Record<string, Family> = {
  "AWS/Lambda": {
    names: ["ConcurrentExecutions", "Duration", "Errors", "Invocations", "Throttles"],
    dimensions: ["FunctionName"],
    source: "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
  },
  "AWS/ApiGateway": {
    names: ["4xx", "5xx", "Count", "DataProcessed", "IntegrationLatency", "Latency"],
    dimensions: ["ApiId"],
    source: "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html",
  },
  "AWS/DynamoDB": {
    names: ["SystemErrors", "ThrottledRequests"],
    dimensions: ["Operation", "TableName"],
    source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html",
  },
};

export const FUNCTION_ROUTE_METRICS = Object.keys(catalogue.routeMetrics);
export const FUNCTION_EVENT_METRICS = Object.keys(catalogue.eventMetrics);
export const FUNCTION_ROUTE_DIMENSION = catalogue.routeDimension;

/**
 * Why (namespace, name, dimension names) is not a metric the function (in `functionNamespace`) or AWS sends,
 * or undefined when it is one.
 */
export function notEmitted(functionNamespace: string, namespace: string, name: string, dimensions: string[]): string | undefined {
  const names = [...dimensions].sort().join(",");
  if (namespace === functionNamespace) {
    if (FUNCTION_ROUTE_METRICS.includes(name)) {
      return names === FUNCTION_ROUTE_DIMENSION ? undefined : `${name} is written with the dimension ${FUNCTION_ROUTE_DIMENSION} only`;
    }
    if (FUNCTION_EVENT_METRICS.includes(name)) return names === "" ? undefined : `${name} is written without dimensions`;
    return `the function writes no metric ${name}`;
  }
  const family = AWS_METRICS[namespace];
  if (!family) return `no metric of ${namespace} is expected`;
  if (!family.names.includes(name)) return `${namespace} has no metric ${name} (${family.source})`;
  return names === family.dimensions.join(",")
    ? undefined
    : `${namespace} ${name} is read by ${family.dimensions.join(", ")}, not ${names}`;
}
