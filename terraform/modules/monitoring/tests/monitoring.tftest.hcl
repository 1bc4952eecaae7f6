# Mocked provider: no credentials, no network. Checks what the module plans and what it refuses.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-4333-8444-555555555555"
      key_id = "11111111-2222-4333-8444-555555555555"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:auth-api-alarms" }
  }
}

variables {
  name = "auth-api"
  function_metrics = {
    namespace       = "auth-api"
    route_dimension = "route"
    route_metrics   = ["Requests", "ClientErrors", "ServerErrors"]
    event_metrics   = ["LoginSucceeded", "LoginFailed", "Lockouts", "RefreshTokenReuse", "Registrations", "PasswordChanges", "AdminActions", "RevokedTokenRefusals", "SignerUnavailable"]
  }
  route_keys             = ["POST /login", "GET /me"]
  api_id                 = "a1b2c3d4e5"
  lambda_function_name   = "auth-api"
  lambda_log_group_name  = "/aws/lambda/auth-api"
  lambda_timeout_seconds = 10
  dynamodb_table_name    = "auth-api-data"
  dynamodb_operations    = ["DeleteItem", "GetItem", "PutItem", "UpdateItem"]
}

run "alarms_notify_the_encrypted_topic_and_the_dashboard_draws_them" {
  command = apply # mocked: nothing is created

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 12 && alltrue([for name, alarm in aws_cloudwatch_metric_alarm.this : alarm.alarm_name == "auth-api-${name}"])
    error_message = "twelve alarms, each named <name>-<alarm>"
  }
  assert {
    condition     = alltrue([for alarm in aws_cloudwatch_metric_alarm.this : alarm.alarm_actions == toset([aws_sns_topic.alarms.arn]) && alarm.ok_actions == toset([aws_sns_topic.alarms.arn])])
    error_message = "every alarm must notify the topic, in alarm and on recovery"
  }
  assert {
    condition     = aws_sns_topic.alarms.kms_master_key_id == aws_kms_key.topic.arn && aws_kms_key.topic.enable_key_rotation && aws_kms_key.topic.key_usage == "ENCRYPT_DECRYPT"
    error_message = "the topic must be encrypted with the module's own rotating symmetric key"
  }
  assert {
    condition     = length(aws_sns_topic_subscription.email) == 0
    error_message = "no subscription without alarm_email"
  }
  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets) > 10 && aws_cloudwatch_dashboard.this.dashboard_name == "auth-api"
    error_message = "the dashboard body must be JSON with its widgets"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["lambda-duration-p99"].threshold == 8000 && aws_cloudwatch_metric_alarm.this["lambda-concurrency"].threshold == 800
    error_message = "duration at 80% of the timeout, concurrency at 80% of the limit"
  }
}

run "subscribes_the_alarm_email" {
  command = apply
  variables {
    alarm_email = "oncall@example.com"
  }
  assert {
    condition     = length(aws_sns_topic_subscription.email) == 1 && aws_sns_topic_subscription.email[0].protocol == "email" && aws_sns_topic_subscription.email[0].endpoint == "oncall@example.com"
    error_message = "alarm_email must be subscribed by email"
  }
}

run "derives_thresholds_from_the_inputs" {
  command = plan
  variables {
    lambda_timeout_seconds        = 5
    lambda_concurrency_limit      = 10
    failed_logins_alarm_threshold = 300
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["lambda-duration-p99"].threshold == 4000 && aws_cloudwatch_metric_alarm.this["lambda-concurrency"].threshold == 8 && aws_cloudwatch_metric_alarm.this["failed-logins"].threshold == 300
    error_message = "thresholds must follow the timeout, the concurrency limit and the band"
  }
}

run "reject_bad_name" {
  command = plan
  variables {
    name = "auth api"
  }
  expect_failures = [var.name]
}

run "reject_aws_namespace" {
  command = plan
  variables {
    function_metrics = {
      namespace       = "AWS/Lambda"
      route_dimension = "route"
      route_metrics   = ["Requests", "ClientErrors", "ServerErrors"]
      event_metrics   = ["LoginSucceeded", "LoginFailed", "Lockouts", "RefreshTokenReuse", "Registrations", "PasswordChanges", "AdminActions", "RevokedTokenRefusals", "SignerUnavailable"]
    }
  }
  expect_failures = [var.function_metrics]
}

run "reject_function_metrics_without_a_drawn_route_metric" {
  command = plan
  variables {
    function_metrics = {
      namespace       = "auth-api"
      route_dimension = "route"
      route_metrics   = ["Requests", "Errors"]
      event_metrics   = ["LoginSucceeded", "LoginFailed", "Lockouts", "RefreshTokenReuse", "Registrations", "PasswordChanges", "AdminActions", "RevokedTokenRefusals", "SignerUnavailable"]
    }
  }
  expect_failures = [var.function_metrics]
}

run "reject_function_metrics_without_an_alarmed_event" {
  command = plan
  variables {
    function_metrics = {
      namespace       = "auth-api"
      route_dimension = "route"
      route_metrics   = ["Requests", "ClientErrors", "ServerErrors"]
      event_metrics   = ["LoginSucceeded", "LoginFailures", "Lockouts", "RefreshTokenReuse", "Registrations", "PasswordChanges", "AdminActions", "RevokedTokenRefusals", "SignerUnavailable"]
    }
  }
  expect_failures = [var.function_metrics]
}

run "reject_route_key_that_is_not_one" {
  command = plan
  variables {
    route_keys = ["/login"]
  }
  expect_failures = [var.route_keys]
}

run "reject_bad_api_id" {
  command = plan
  variables {
    api_id = "ABC-123"
  }
  expect_failures = [var.api_id]
}

run "reject_bad_function_name" {
  command = plan
  variables {
    lambda_function_name = "auth api"
  }
  expect_failures = [var.lambda_function_name]
}

run "reject_bad_log_group_name" {
  command = plan
  variables {
    lambda_log_group_name = "logs of auth-api"
  }
  expect_failures = [var.lambda_log_group_name]
}

run "reject_timeout_over_15_minutes" {
  command = plan
  variables {
    lambda_timeout_seconds = 901
  }
  expect_failures = [var.lambda_timeout_seconds]
}

run "reject_fractional_concurrency_limit" {
  command = plan
  variables {
    lambda_concurrency_limit = 0.5
  }
  expect_failures = [var.lambda_concurrency_limit]
}

run "reject_bad_table_name" {
  command = plan
  variables {
    dynamodb_table_name = "t"
  }
  expect_failures = [var.dynamodb_table_name]
}

run "reject_more_operations_than_an_alarm_reads" {
  command = plan
  variables {
    dynamodb_operations = ["BatchGetItem", "BatchWriteItem", "DeleteItem", "GetItem", "PutItem", "Query", "Scan", "TransactGetItems", "TransactWriteItems", "UpdateItem"]
  }
  expect_failures = [var.dynamodb_operations]
}

run "reject_bad_email" {
  command = plan
  variables {
    alarm_email = "oncall"
  }
  expect_failures = [var.alarm_email]
}

run "reject_5xx_percent_of_100" {
  command = plan
  variables {
    api_5xx_alarm_percent = 100
  }
  expect_failures = [var.api_5xx_alarm_percent]
}

run "reject_5xx_minimum_of_0" {
  command = plan
  variables {
    api_5xx_alarm_minimum_requests = 0
  }
  expect_failures = [var.api_5xx_alarm_minimum_requests]
}

run "reject_latency_over_the_integration_timeout" {
  command = plan
  variables {
    integration_latency_alarm_ms = 31000
  }
  expect_failures = [var.integration_latency_alarm_ms]
}

run "reject_duration_percent_of_100" {
  command = plan
  variables {
    lambda_duration_alarm_percent = 100
  }
  expect_failures = [var.lambda_duration_alarm_percent]
}

run "reject_concurrency_percent_of_5" {
  command = plan
  variables {
    lambda_concurrency_alarm_percent = 5
  }
  expect_failures = [var.lambda_concurrency_alarm_percent]
}

run "reject_failed_logins_threshold_of_0" {
  command = plan
  variables {
    failed_logins_alarm_threshold = 0
  }
  expect_failures = [var.failed_logins_alarm_threshold]
}

run "reject_fractional_lockouts_threshold" {
  command = plan
  variables {
    lockouts_alarm_threshold = 2.5
  }
  expect_failures = [var.lockouts_alarm_threshold]
}

run "reject_short_key_deletion_window" {
  command = plan
  variables {
    topic_key_deletion_window_days = 3
  }
  expect_failures = [var.topic_key_deletion_window_days]
}
