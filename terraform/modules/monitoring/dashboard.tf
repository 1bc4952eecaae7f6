# The few graphs an on-call person opens first, from the same metric catalogue and alarm definitions as
# alarms.tf: an alarm's threshold is drawn on the graph of its metric. Body format:
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
locals {
  # [namespace, name, dimension, value, ..., options]: one line of a metric widget.
  line = {
    for key, metric in local.metrics : key => concat([metric.namespace, metric.name], flatten([for name, value in metric.dimensions : [name, value]]))
  }
  per_route = {
    for metric in var.function_metrics.route_metrics : metric => [
      for route in var.route_keys : [local.function, metric, var.function_metrics.route_dimension, route, { label = route }]
    ]
  }
  threshold = { for key, alarm in local.alarms : key => { label = "alarm ${var.name}-${key}", value = alarm.threshold } }

  graph = {
    for key, graph in {
      requests_by_route = { title = "Requests by route (the function's answers)", stat = "Sum", period = 60, metrics = local.per_route.Requests }
      server_errors_by_route = {
        title = "5xx by route", stat = "Sum", period = 60, metrics = local.per_route.ServerErrors
      }
      client_errors_by_route = {
        title = "4xx by route (refused tokens, bad input, wrong passwords)", stat = "Sum", period = 60, metrics = local.per_route.ClientErrors
      }
      api = {
        title = "API Gateway: requests, 4xx, 5xx; 5xx rate % (right)", stat = "Sum", period = 60
        metrics = [
          concat(local.line.api_requests, [{ id = "requests", label = "requests" }]),
          concat(local.line.api_4xx, [{ label = "4xx" }]),
          concat(local.line.api_5xx, [{ id = "errors", label = "5xx" }]),
          [{ expression = local.alarms["api-5xx-rate"].expression, label = "5xx rate %", id = "rate", yAxis = "right" }],
        ]
        annotations = { horizontal = [merge(local.threshold["api-5xx-rate"], { yAxis = "right" })] }
      }
      latency = {
        title = "Latency p50 / p99 (ms): the gateway's total and the function's answer", stat = "p99", period = 300
        metrics = [
          concat(local.line.api_latency, [{ stat = "p50", label = "total p50" }]),
          concat(local.line.api_latency, [{ label = "total p99" }]),
          concat(local.line.api_integration_latency, [{ stat = "p50", label = "integration p50" }]),
          concat(local.line.api_integration_latency, [{ label = "integration p99" }]),
        ]
        annotations = { horizontal = [local.threshold["api-integration-latency-p99"]] }
      }
      duration = {
        title = "Lambda duration p50 / p99 (ms) against the ${var.lambda_timeout_seconds} s timeout", stat = "p99", period = 300
        metrics = [
          concat(local.line.lambda_duration, [{ stat = "p50", label = "p50" }]),
          concat(local.line.lambda_duration, [{ label = "p99" }]),
        ]
        annotations = {
          horizontal = [local.threshold["lambda-duration-p99"], { label = "timeout", value = var.lambda_timeout_seconds * 1000 }]
        }
      }
      logins = {
        title = "Logins vs failures vs lockouts", stat = "Sum", period = 300
        metrics = [
          concat(local.line.LoginSucceeded, [{ label = "succeeded" }]),
          concat(local.line.LoginFailed, [{ label = "failed" }]),
          concat(local.line.Lockouts, [{ label = "locked out" }]),
        ]
        annotations = { horizontal = [local.threshold["failed-logins"], local.threshold["lockouts"]] }
      }
      signals = {
        title = "Theft and revocation signals", stat = "Sum", period = 300
        metrics = [
          concat(local.line.RefreshTokenReuse, [{ label = "refresh-token reuse (session revoked)" }]),
          concat(local.line.RevokedTokenRefusals, [{ label = "revoked access tokens refused" }]),
        ]
      }
      accounts = {
        title = "Accounts", stat = "Sum", period = 300
        metrics = [
          concat(local.line.Registrations, [{ label = "registrations" }]),
          concat(local.line.PasswordChanges, [{ label = "password changes" }]),
          concat(local.line.AdminActions, [{ label = "admin actions" }]),
        ]
      }
      lambda = {
        title = "Lambda: invocations, errors, throttles; concurrency (right)", stat = "Sum", period = 60
        metrics = [
          concat(local.line.lambda_invocations, [{ label = "invocations" }]),
          concat(local.line.lambda_errors, [{ label = "errors" }]),
          concat(local.line.lambda_throttles, [{ label = "throttles" }]),
          concat(local.line.lambda_concurrency, [{ stat = "Maximum", label = "concurrent executions", yAxis = "right" }]),
        ]
        annotations = { horizontal = [merge(local.threshold["lambda-concurrency"], { yAxis = "right" })] }
      }
      dynamodb = {
        title = "DynamoDB: throttled requests and system errors by operation", stat = "Sum", period = 300
        metrics = concat(
          [for operation in var.dynamodb_operations : concat(local.line["dynamodb_throttled_${operation}"], [{ label = "throttled ${operation}" }])],
          [for operation in var.dynamodb_operations : concat(local.line["dynamodb_system_errors_${operation}"], [{ label = "system errors ${operation}" }])],
        )
      }
      signer = {
        title   = "KMS as the function sees it: 503s from the signer", stat = "Sum", period = 300
        metrics = [concat(local.line.SignerUnavailable, [{ label = "signer unavailable" }])]
      }
    } : key => merge({ view = "timeSeries", region = local.region, stacked = false }, graph)
  }

  # Rows of the 24-column grid, top to bottom; each row's widgets side by side.
  rows = [
    {
      height = 4, widgets = [{
        type = "alarm", width = 24
        properties = {
          title  = "Alarms of ${var.name} (notify ${local.topic_name})"
          alarms = [for key in sort(keys(local.alarms)) : "${local.alarm_arn_prefix}${key}"]
          sortBy = "stateUpdatedTimestamp"
        }
      }]
    },
    { height = 6, widgets = [{ type = "metric", width = 12, properties = local.graph.requests_by_route }, { type = "metric", width = 12, properties = local.graph.api }] },
    { height = 6, widgets = [{ type = "metric", width = 12, properties = local.graph.server_errors_by_route }, { type = "metric", width = 12, properties = local.graph.client_errors_by_route }] },
    { height = 6, widgets = [{ type = "metric", width = 12, properties = local.graph.latency }, { type = "metric", width = 12, properties = local.graph.duration }] },
    { height = 6, widgets = [{ type = "metric", width = 8, properties = local.graph.logins }, { type = "metric", width = 8, properties = local.graph.signals }, { type = "metric", width = 8, properties = local.graph.accounts }] },
    { height = 6, widgets = [{ type = "metric", width = 8, properties = local.graph.lambda }, { type = "metric", width = 8, properties = local.graph.dynamodb }, { type = "metric", width = 8, properties = local.graph.signer }] },
    {
      height = 6, widgets = [{
        type = "log", width = 24
        properties = {
          title  = "The function's latest error lines"
          region = local.region
          view   = "table"
          query  = "SOURCE '${var.lambda_log_group_name}' | fields @timestamp, message, routeKey, status, errorName, requestId | filter level = \"error\" | sort @timestamp desc | limit 20"
        }
      }]
    },
  ]

  widgets = flatten([
    for row_index, row in local.rows : [
      for index, widget in row.widgets : merge(widget, {
        x      = sum(concat([0], [for before in range(index) : row.widgets[before].width]))
        y      = sum(concat([0], [for before in range(row_index) : local.rows[before].height]))
        height = row.height
      })
    ]
  ])
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ start = "-PT6H", widgets = local.widgets })
}
