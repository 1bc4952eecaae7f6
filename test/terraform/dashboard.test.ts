/**
 * The dashboard of modules/monitoring, read as CloudWatch reads its body. In the stack's own offline plan the
 * body is known only after apply (it names the API's id), so this plans the module from a small root with
 * the stack's names and a stand-in API id, offline, and checks the JSON it would send.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { OFFLINE_ACCOUNT } from "../../scripts/terraform/lib/offline-aws.js";
import { createWorkspace, offlinePlan, REPO_ROOT } from "../../scripts/terraform/lib/terraform.js";
import { FUNCTION_EVENT_METRICS, FUNCTION_ROUTE_DIMENSION, FUNCTION_ROUTE_METRICS, notEmitted } from "./emitted-metrics.js";
import { requireTerraform } from "./support.js";

const STACK = "auth-api";
const API_ID = "a1b2c3d4e5";
const OPERATIONS = ["DeleteItem", "GetItem", "PutItem", "UpdateItem"];
const ROUTES = (JSON.parse(readFileSync(join(REPO_ROOT, "build/routes.json"), "utf8")) as { routeKey: string }[]).map(
  (route) => route.routeKey,
);

/** The module as terraform/main.tf calls it, with literal values where the stack's are known only after apply. */
const ROOT = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  metrics = jsondecode(file("\${path.module}/../../lambda/src/metrics/metrics.json"))
}

module "monitoring" {
  source = "../modules/monitoring"

  name = "${STACK}"
  function_metrics = {
    namespace       = "${STACK}"
    route_dimension = local.metrics.routeDimension
    route_metrics   = keys(local.metrics.routeMetrics)
    event_metrics   = keys(local.metrics.eventMetrics)
  }
  route_keys             = [for route in jsondecode(file("\${path.module}/../../build/routes.json")) : route.routeKey]
  api_id                 = "${API_ID}"
  lambda_function_name   = "${STACK}"
  lambda_log_group_name  = "/aws/lambda/${STACK}"
  lambda_timeout_seconds = 10
  dynamodb_table_name    = "${STACK}-data"
  dynamodb_operations    = ${JSON.stringify(OPERATIONS)}
}
`;

type Json = Record<string, any>;
interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Json;
}

describe("terraform: the dashboard's JSON (modules/monitoring, planned offline with known names)", function () {
  this.timeout(120_000);
  let widgets: Widget[];
  let alarms: Map<string, Json>;

  before(async function () {
    requireTerraform(this);
    const workspace = createWorkspace();
    try {
      const dir = join(workspace.dir, "dashboard-check");
      mkdirSync(dir);
      writeFileSync(join(dir, "main.tf"), ROOT);
      copyFileSync(join(workspace.dir, ".terraform.lock.hcl"), join(dir, ".terraform.lock.hcl"));
      const plan = (await offlinePlan(workspace, undefined, "dashboard-check")) as {
        resource_changes: { type: string; change: { after: Json } }[];
      };
      const dashboard = plan.resource_changes.find((change) => change.type === "aws_cloudwatch_dashboard")!.change.after;
      expect(dashboard.dashboard_name).to.equal(STACK);
      const body = JSON.parse(dashboard.dashboard_body) as { widgets: Widget[] };
      widgets = body.widgets;
      alarms = new Map(
        plan.resource_changes
          .filter((change) => change.type === "aws_cloudwatch_metric_alarm")
          .map((change) => [change.change.after.alarm_name as string, change.change.after]),
      );
    } finally {
      workspace.remove();
    }
  });

  const metricWidgets = () => widgets.filter((widget) => widget.type === "metric");
  /** Every line of every metric widget that names a metric: [namespace, name, dimension, value, ..., options?]. */
  const metricLines = () =>
    metricWidgets().flatMap((widget) =>
      (widget.properties.metrics as unknown[][])
        .filter((line) => typeof line[0] === "string")
        .map((line) => {
          const parts = line.filter((part) => typeof part === "string") as string[];
          const [namespace, name, ...pairs] = parts;
          const dimensions = Object.fromEntries(pairs.flatMap((part, index) => (index % 2 === 0 ? [[part, pairs[index + 1]!]] : [])));
          return { widget: widget.properties.title as string, namespace: namespace!, name: name!, dimensions };
        }),
    );

  it("is a body of widgets on the 24-column grid, none overlapping", () => {
    expect(widgets.length).to.be.within(1, 500);
    const cells = new Set<string>();
    for (const widget of widgets) {
      expect(widget.x + widget.width, widget.properties.title).to.be.at.most(24);
      for (let x = widget.x; x < widget.x + widget.width; x++) {
        for (let y = widget.y; y < widget.y + widget.height; y++) {
          expect(cells.has(`${x},${y}`), `${widget.properties.title} overlaps at ${x},${y}`).to.equal(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it("draws only metrics the function or AWS emits, with the stack's dimensions", () => {
    const lines = metricLines();
    expect(lines.length).to.be.greaterThan(30);
    for (const { widget, namespace, name, dimensions } of lines) {
      expect(notEmitted(STACK, namespace, name, Object.keys(dimensions)), `${widget}: ${namespace} ${name}`).to.equal(undefined);
      const expected: Record<string, (value: string) => boolean> = {
        FunctionName: (value) => value === STACK,
        ApiId: (value) => value === API_ID,
        TableName: (value) => value === `${STACK}-data`,
        Operation: (value) => OPERATIONS.includes(value),
        [FUNCTION_ROUTE_DIMENSION]: (value) => ROUTES.includes(value),
      };
      for (const [dimension, value] of Object.entries(dimensions)) {
        expect(expected[dimension]?.(value), `${widget}: ${name} ${dimension}=${value}`).to.equal(true);
      }
    }
  });

  it("draws every metric the function writes: each route metric for every route, and every event", () => {
    const drawn = new Set(metricLines().map((line) => `${line.namespace} ${line.name} ${JSON.stringify(line.dimensions)}`));
    for (const metric of FUNCTION_ROUTE_METRICS) {
      for (const route of ROUTES) expect(drawn, `${metric} of ${route}`).to.include(`${STACK} ${metric} ${JSON.stringify({ route })}`);
    }
    for (const metric of FUNCTION_EVENT_METRICS) expect(drawn, metric).to.include(`${STACK} ${metric} {}`);
  });

  it("computes expressions only from ids of its own widget, the 5xx rate exactly as its alarm does", () => {
    for (const widget of metricWidgets()) {
      const lines = widget.properties.metrics as Json[][];
      const ids = new Set(lines.map((line) => line.at(-1)).flatMap((options) => (options?.id && !options.expression ? [options.id] : [])));
      for (const { expression } of lines.filter((line) => typeof line[0] === "object" && line[0]!.expression).map((line) => line[0]!)) {
        for (const name of (expression as string).match(/\b[a-z]\w*\b/g) ?? [])
          expect(ids, `${widget.properties.title}: ${name}`).to.include(name);
      }
    }
    const alarmRate = (alarms.get(`${STACK}-api-5xx-rate`)!.metric_query as Json[]).find((query) => query.return_data)!.expression;
    const drawnRates = metricWidgets().flatMap((widget) =>
      (widget.properties.metrics as Json[][]).flatMap((line) => (line[0]?.expression ? [line[0].expression] : [])),
    );
    expect(drawnRates).to.deep.equal([alarmRate]);
  });

  it("marks each threshold it draws at its alarm's value", () => {
    const marked = metricWidgets().flatMap(
      (widget) => (widget.properties.annotations?.horizontal ?? []) as { label: string; value: number }[],
    );
    const ofAlarms = marked.filter((mark) => mark.label.startsWith("alarm "));
    expect(ofAlarms.length).to.be.at.least(5);
    for (const { label, value } of ofAlarms) {
      const alarm = alarms.get(label.slice("alarm ".length));
      expect(alarm, label).to.exist;
      expect(value, label).to.equal(alarm!.threshold);
    }
  });

  it("shows the state of every alarm of the stack, and the function's latest error lines", () => {
    const [status] = widgets.filter((widget) => widget.type === "alarm");
    const arns = [...alarms.keys()].map((name) => `arn:aws:cloudwatch:eu-west-1:${OFFLINE_ACCOUNT}:alarm:${name}`);
    expect([...status!.properties.alarms].sort()).to.deep.equal(arns.sort());
    const [log] = widgets.filter((widget) => widget.type === "log");
    expect(log!.properties.query).to.match(new RegExp(`^SOURCE '/aws/lambda/${STACK}' \\|`));
    expect(log!.properties.query).to.include('filter level = "error"');
  });
});
