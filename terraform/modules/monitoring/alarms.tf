locals {
  # Every metric the alarms and the dashboard read, once, by key: the alarms below and dashboard.tf take
  # their namespaces, names and dimensions from here, and nowhere else.
  #   AWS/Lambda     https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
  #   AWS/ApiGateway https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html (ApiId)
  #   AWS/DynamoDB   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html
  #                  (ThrottledRequests and SystemErrors by TableName and Operation)
  #   the function's own: lambda/src/metrics/metrics.json
  metrics = merge(
    {
      lambda_invocations      = { namespace = "AWS/Lambda", name = "Invocations", dimensions = local.lambda_dimensions }
      lambda_errors           = { namespace = "AWS/Lambda", name = "Errors", dimensions = local.lambda_dimensions }
      lambda_throttles        = { namespace = "AWS/Lambda", name = "Throttles", dimensions = local.lambda_dimensions }
      lambda_duration         = { namespace = "AWS/Lambda", name = "Duration", dimensions = local.lambda_dimensions }
      lambda_concurrency      = { namespace = "AWS/Lambda", name = "ConcurrentExecutions", dimensions = local.lambda_dimensions }
      api_requests            = { namespace = "AWS/ApiGateway", name = "Count", dimensions = local.api_dimensions }
      api_4xx                 = { namespace = "AWS/ApiGateway", name = "4xx", dimensions = local.api_dimensions }
      api_5xx                 = { namespace = "AWS/ApiGateway", name = "5xx", dimensions = local.api_dimensions }
      api_latency             = { namespace = "AWS/ApiGateway", name = "Latency", dimensions = local.api_dimensions }
      api_integration_latency = { namespace = "AWS/ApiGateway", name = "IntegrationLatency", dimensions = local.api_dimensions }
    },
    { for event in var.function_metrics.event_metrics : event => { namespace = local.function, name = event, dimensions = {} } },
    {
      for operation in var.dynamodb_operations : "dynamodb_throttled_${operation}" => {
        namespace = "AWS/DynamoDB", name = "ThrottledRequests", dimensions = { TableName = var.dynamodb_table_name, Operation = operation }
      }
    },
    {
      for operation in var.dynamodb_operations : "dynamodb_system_errors_${operation}" => {
        namespace = "AWS/DynamoDB", name = "SystemErrors", dimensions = { TableName = var.dynamodb_table_name, Operation = operation }
      }
    },
  )

  # One query per operation and their sum; FILL(..., 0) makes a quiet period a 0, so the alarm returns to OK
  # (DynamoDB reports these only when they happen, and an alarm on an AWS/DynamoDB metric alone ignores
  # missing data whatever treat_missing_data says, staying in ALARM:
  # https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
  dynamodb_sum = {
    for kind in ["throttled", "system_errors"] : kind => {
      metrics    = [for index, operation in var.dynamodb_operations : { id = "op${index}", metric = "dynamodb_${kind}_${operation}", stat = "Sum" }]
      expression = "SUM([${join(", ", [for index, _ in var.dynamodb_operations : "FILL(op${index}, 0)"])}])"
    }
  }

  duration_threshold_ms = var.lambda_timeout_seconds * 1000 * var.lambda_duration_alarm_percent / 100
  concurrency_threshold = var.lambda_concurrency_limit * var.lambda_concurrency_alarm_percent / 100

  # Each alarm: what it reads (one metric, or metrics and the expression over them that it alarms on), how
  # it compares, over which periods, and why, in its description (what the notification email shows).
  alarms = {
    lambda-errors = {
      metrics    = [{ id = "errors", metric = "lambda_errors", stat = "Sum" }]
      expression = null
      period     = 300, evaluation_periods = 1, datapoints_to_alarm = 1, threshold = 0, missing = "notBreaching"
      description = join(" ", [
        "The function failed invocations: a crash, out of memory, a timeout, or a cold start that failed (a bad configuration after a deploy).",
        "The router answers every error of a request itself (its 5xx are answers, not Lambda errors), so any count is a bug or a broken deploy: above 0 in one 5-minute period.",
        "No invocation, no data: not breaching.",
        "First check: the function's log group, lines with level error (a cold start's names the variable).",
      ])
    }
    lambda-throttles = {
      metrics    = [{ id = "throttles", metric = "lambda_throttles", stat = "Sum" }]
      expression = null
      period     = 300, evaluation_periods = 1, datapoints_to_alarm = 1, threshold = 0, missing = "notBreaching"
      description = join(" ", [
        "Lambda refused to run the function: the account's (or a reserved) concurrency was used up, and API Gateway answered those requests with an error.",
        "Any throttle is a refused user: above 0 in one 5-minute period. No invocation, no data: not breaching.",
        "First check: the concurrency graph and ClaimedAccountConcurrency of the account; then raise the quota or reserve concurrency.",
      ])
    }
    lambda-duration-p99 = {
      metrics    = [{ id = "duration", metric = "lambda_duration", stat = "p99" }]
      expression = null
      period     = 300, evaluation_periods = 3, datapoints_to_alarm = 2, threshold = local.duration_threshold_ms, missing = "ignore"
      description = join(" ", [
        "The slowest 1% of invocations take ${var.lambda_duration_alarm_percent}% of the ${var.lambda_timeout_seconds} s timeout or more: requests are about to time out.",
        "p99 over 5 minutes in 2 of 3 periods, so one slow cold start does not page. No traffic says nothing about speed: missing data keeps the state (ignore).",
        "First check: the DynamoDB and signer graphs (the SDK waits up to about 5 s on a failing dependency), then bcrypt cost against memory size.",
      ])
    }
    lambda-concurrency = {
      metrics    = [{ id = "concurrency", metric = "lambda_concurrency", stat = "Maximum" }]
      expression = null
      period     = 60, evaluation_periods = 5, datapoints_to_alarm = 3, threshold = local.concurrency_threshold, missing = "notBreaching"
      description = join(" ", [
        "The function's concurrent executions reached ${var.lambda_concurrency_alarm_percent}% of ${var.lambda_concurrency_limit} (lambda_concurrency_limit): throttling is near.",
        "The 1-minute maximum in 3 of 5 minutes: a burst of seconds does not page, a sustained climb does. No invocation, no concurrency: not breaching.",
        "First check: traffic by route (a flood of logins?) and duration (slow answers hold executions longer).",
      ])
    }
    api-5xx-rate = {
      metrics = [
        { id = "requests", metric = "api_requests", stat = "Sum" },
        { id = "errors", metric = "api_5xx", stat = "Sum" },
      ]
      expression = "IF(requests >= ${var.api_5xx_alarm_minimum_requests}, 100 * FILL(errors, 0) / requests, 0)"
      period     = 60, evaluation_periods = 5, datapoints_to_alarm = 3, threshold = var.api_5xx_alarm_percent, missing = "notBreaching"
      description = join(" ", [
        "More than ${var.api_5xx_alarm_percent}% of the API's answers were 5xx (the function's 503s when DynamoDB or KMS fail, the gateway's own 5xx when the function fails or times out).",
        "Per minute, counted only in minutes with ${var.api_5xx_alarm_minimum_requests} requests or more, in 3 of 5 minutes: a lone failure among few requests does not page. No traffic: not breaching.",
        "First check: 5xx by route on the dashboard, then the function's error lines.",
      ])
    }
    api-integration-latency-p99 = {
      metrics    = [{ id = "latency", metric = "api_integration_latency", stat = "p99" }]
      expression = null
      period     = 300, evaluation_periods = 3, datapoints_to_alarm = 3, threshold = var.integration_latency_alarm_ms, missing = "ignore"
      description = join(" ", [
        "The slowest 1% of the function's answers, as the gateway measures them, took over ${var.integration_latency_alarm_ms} ms for 15 minutes: users wait.",
        "Logins are the slow route by design (bcrypt), and cold starts add to a few answers, hence p99 over 5-minute periods, 3 in a row. No traffic: the state is kept (ignore).",
        "First check: latency by route and the Lambda duration graph; then DynamoDB and signer health.",
      ])
    }
    dynamodb-throttles = {
      metrics    = local.dynamodb_sum.throttled.metrics
      expression = local.dynamodb_sum.throttled.expression
      period     = 300, evaluation_periods = 3, datapoints_to_alarm = 2, threshold = 0, missing = "notBreaching"
      description = join(" ", [
        "DynamoDB throttled requests of the function (${join(", ", var.dynamodb_operations)} on ${var.dynamodb_table_name}); those the SDK's one retry did not save were answered 503.",
        "An on-demand table throttles when traffic doubles past its previous peak or one item is hot; above 0 in 2 of 3 5-minute periods, so a blip the SDK absorbed does not page. Quiet periods count as 0.",
        "First check: the table's throttle graph by operation and traffic by route.",
      ])
    }
    dynamodb-system-errors = {
      metrics    = local.dynamodb_sum.system_errors.metrics
      expression = local.dynamodb_sum.system_errors.expression
      period     = 300, evaluation_periods = 3, datapoints_to_alarm = 2, threshold = 0, missing = "notBreaching"
      description = join(" ", [
        "DynamoDB failed requests of the function with a 500 (${join(", ", var.dynamodb_operations)} on ${var.dynamodb_table_name}); the function answered 503.",
        "DynamoDB expects a few of these; 2 of 3 5-minute periods with any is more than a few. Quiet periods count as 0.",
        "First check: the AWS Health Dashboard for DynamoDB in the region.",
      ])
    }
    signer-unavailable = {
      metrics    = [{ id = "unavailable", metric = "SignerUnavailable", stat = "Sum" }]
      expression = null
      period     = 300, evaluation_periods = 3, datapoints_to_alarm = 2, threshold = 0, missing = "notBreaching"
      description = join(" ", [
        "The function answered 503 because KMS would not sign (throttled, failing or unreachable): no login, refresh or password change can issue tokens.",
        "KMS has no per-key throttle metric; this is the function's own count. Above 0 in 2 of 3 5-minute periods, so one blip the client retries does not page. None counted: not breaching.",
        "First check: the KMS quota Cryptographic operations (RSA) request rate in Service Quotas (shared by the account's RSA keys), then the AWS Health Dashboard.",
      ])
    }
    refresh-token-reuse = {
      metrics    = [{ id = "reuse", metric = "RefreshTokenReuse", stat = "Sum" }]
      expression = null
      period     = 300, evaluation_periods = 1, datapoints_to_alarm = 1, threshold = 0, missing = "notBreaching"
      description = join(" ", [
        "A refresh token that had been rotated away was presented again, and its session was revoked: someone holds a copy (theft), or a client retried or raced its own refresh.",
        "Each is a possible theft: above 0 in 5 minutes. None counted: not breaching.",
        "First check: the function's POST /refresh lines with status 401 in that window (their requestId leads to the access log's source IP).",
      ])
    }
    failed-logins = {
      metrics    = [{ id = "failed", metric = "LoginFailed", stat = "Sum" }]
      expression = null
      period     = 300, evaluation_periods = 1, datapoints_to_alarm = 1, threshold = var.failed_logins_alarm_threshold, missing = "notBreaching"
      description = join(" ", [
        "More than ${var.failed_logins_alarm_threshold} password attempts were refused in 5 minutes: password guessing or credential stuffing.",
        "A static band, not anomaly detection: a new or quiet stack has no history to learn a band from, and one on sparse counts pages on every typo. Tune failed_logins_alarm_threshold to your traffic. None counted: not breaching.",
        "First check: the access log's POST /login lines with status 401, by source IP (AWS WAF rate rules stop one client).",
      ])
    }
    lockouts = {
      metrics    = [{ id = "lockouts", metric = "Lockouts", stat = "Sum" }]
      expression = null
      period     = 300, evaluation_periods = 1, datapoints_to_alarm = 1, threshold = var.lockouts_alarm_threshold, missing = "notBreaching"
      description = join(" ", [
        "More than ${var.lockouts_alarm_threshold} attempts were refused by a lockout in 5 minutes: someone is guessing at many accounts, locking their owners out.",
        "A static band (see failed-logins); a user who forgot a password adds a few. None counted: not breaching.",
        "First check: the access log's 429 answers on POST /login by source IP, and the failed-logins graph.",
      ])
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.datapoints_to_alarm
  treat_missing_data  = each.value.missing
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dynamic "metric_query" {
    for_each = each.value.metrics
    content {
      id          = metric_query.value.id
      return_data = each.value.expression == null

      metric {
        namespace   = local.metrics[metric_query.value.metric].namespace
        metric_name = local.metrics[metric_query.value.metric].name
        dimensions  = local.metrics[metric_query.value.metric].dimensions
        period      = each.value.period
        stat        = metric_query.value.stat
      }
    }
  }

  dynamic "metric_query" {
    for_each = each.value.expression == null ? [] : [each.value.expression]
    content {
      id          = "alarm"
      expression  = metric_query.value
      label       = each.key
      return_data = true
    }
  }

  tags = var.tags
}
