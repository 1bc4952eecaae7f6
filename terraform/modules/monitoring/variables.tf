variable "name" {
  description = "Name of the stack: prefixes every alarm (<name>-<alarm>), the topic (<name>-alarms), its key's alias and names the dashboard."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1 to 64 characters of A-Z a-z 0-9 _ -."
  }
}

variable "function_metrics" {
  description = "The function's own metrics (lambda/src/metrics/metrics.json): its namespace (METRICS_NAMESPACE), the one dimension of its route metrics, and the metric names it writes."
  type = object({
    namespace       = string
    route_dimension = string
    route_metrics   = list(string)
    event_metrics   = list(string)
  })

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#-][A-Za-z0-9._/#: -]{0,254}$", var.function_metrics.namespace)) && !startswith(lower(var.function_metrics.namespace), "aws/")
    error_message = "function_metrics.namespace must be a custom CloudWatch namespace: 1 to 255 of A-Z a-z 0-9 . - _ / # : and space, not AWS/."
  }

  # The alarms and graphs below read these by name: a renamed metric must fail here, not alarm on nothing.
  validation {
    condition     = alltrue([for metric in ["Requests", "ClientErrors", "ServerErrors"] : contains(var.function_metrics.route_metrics, metric)])
    error_message = "function_metrics.route_metrics must include Requests, ClientErrors and ServerErrors, which the dashboard draws."
  }

  validation {
    condition     = alltrue([for metric in ["LoginSucceeded", "LoginFailed", "Lockouts", "RefreshTokenReuse", "RevokedTokenRefusals", "Registrations", "PasswordChanges", "AdminActions", "SignerUnavailable"] : contains(var.function_metrics.event_metrics, metric)])
    error_message = "function_metrics.event_metrics must include every event the alarms and the dashboard read (LoginSucceeded, LoginFailed, Lockouts, RefreshTokenReuse, RevokedTokenRefusals, Registrations, PasswordChanges, AdminActions, SignerUnavailable)."
  }
}

variable "route_keys" {
  description = "The API's route keys (build/routes.json): the values of the function's route dimension, one line each on the per-route graphs."
  type        = list(string)

  validation {
    condition     = length(var.route_keys) > 0 && alltrue([for key in var.route_keys : can(regex("^[A-Z]+ /[^ ]*$", key))])
    error_message = "route_keys must be route keys such as \"POST /login\"."
  }
}

variable "api_id" {
  description = "Id of the HTTP API (the ApiId dimension of AWS/ApiGateway)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{1,64}$", var.api_id))
    error_message = "api_id must be an API Gateway API id (lower-case letters and digits)."
  }
}

variable "lambda_function_name" {
  description = "Name of the function (the FunctionName dimension of AWS/Lambda)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.lambda_function_name))
    error_message = "lambda_function_name must be 1 to 64 characters of A-Z a-z 0-9 _ -."
  }
}

variable "lambda_log_group_name" {
  description = "The function's log group: the dashboard's table of its latest error lines reads it (a Logs Insights query, billed per GB scanned when the dashboard is viewed)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_./#-]{1,512}$", var.lambda_log_group_name))
    error_message = "lambda_log_group_name must be a log group name (1 to 512 of A-Z a-z 0-9 _ - / . #)."
  }
}

variable "lambda_timeout_seconds" {
  description = "The function's timeout in seconds: the duration alarm fires at lambda_duration_alarm_percent of it."
  type        = number

  validation {
    condition     = var.lambda_timeout_seconds >= 1 && var.lambda_timeout_seconds <= 900
    error_message = "lambda_timeout_seconds must be from 1 to 900."
  }
}

variable "lambda_concurrency_limit" {
  description = "The concurrency the function can reach: the account's Lambda concurrent-executions quota in the region (Service Quotas L-B99A9384; 1,000 by default, less on new accounts), or the function's reserved concurrency if you set one."
  type        = number
  default     = 1000

  validation {
    condition     = var.lambda_concurrency_limit >= 1 && floor(var.lambda_concurrency_limit) == var.lambda_concurrency_limit
    error_message = "lambda_concurrency_limit must be a whole number of at least 1."
  }
}

variable "dynamodb_table_name" {
  description = "The table (the TableName dimension of AWS/DynamoDB)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.dynamodb_table_name))
    error_message = "dynamodb_table_name must be 3 to 255 characters of A-Z a-z 0-9 _ . -."
  }
}

variable "dynamodb_operations" {
  description = "The DynamoDB operations the function sends (its role's dynamodb: actions without the prefix): the Operation dimension the table alarms sum over."
  type        = list(string)

  validation {
    condition     = length(var.dynamodb_operations) > 0 && length(var.dynamodb_operations) <= 9 && alltrue([for operation in var.dynamodb_operations : can(regex("^[A-Z][A-Za-z]+$", operation))])
    error_message = "dynamodb_operations must name 1 to 9 operations such as GetItem (an alarm reads at most 10 metrics)."
  }
}

variable "alarm_email" {
  description = "An email address subscribed to the alarm topic (it must confirm the subscription from the message AWS sends); null subscribes nobody."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be null or an email address."
  }
}

variable "api_5xx_alarm_percent" {
  description = "The share of the API's answers that may be 5xx, in percent, before the 5xx alarm counts a minute as bad."
  type        = number
  default     = 5

  validation {
    condition     = var.api_5xx_alarm_percent > 0 && var.api_5xx_alarm_percent < 100
    error_message = "api_5xx_alarm_percent must be above 0 and below 100."
  }
}

variable "api_5xx_alarm_minimum_requests" {
  description = "Requests a minute needs before its 5xx rate counts: below it, one failure among a handful of requests would page."
  type        = number
  default     = 10

  validation {
    condition     = var.api_5xx_alarm_minimum_requests >= 1 && floor(var.api_5xx_alarm_minimum_requests) == var.api_5xx_alarm_minimum_requests
    error_message = "api_5xx_alarm_minimum_requests must be a whole number of at least 1."
  }
}

variable "integration_latency_alarm_ms" {
  description = "p99 of the gateway's integration latency (the function's whole answer, cold starts included), in milliseconds, above which the latency alarm fires."
  type        = number
  default     = 2000

  validation {
    condition     = var.integration_latency_alarm_ms >= 100 && var.integration_latency_alarm_ms <= 30000
    error_message = "integration_latency_alarm_ms must be from 100 to 30000 (the integration timeout's maximum)."
  }
}

variable "lambda_duration_alarm_percent" {
  description = "The share of the function's timeout, in percent, that its p99 duration may reach before the duration alarm fires."
  type        = number
  default     = 80

  validation {
    condition     = var.lambda_duration_alarm_percent >= 10 && var.lambda_duration_alarm_percent < 100
    error_message = "lambda_duration_alarm_percent must be from 10 to below 100."
  }
}

variable "lambda_concurrency_alarm_percent" {
  description = "The share of lambda_concurrency_limit, in percent, that the function's concurrent executions may reach before the concurrency alarm fires."
  type        = number
  default     = 80

  validation {
    condition     = var.lambda_concurrency_alarm_percent >= 10 && var.lambda_concurrency_alarm_percent < 100
    error_message = "lambda_concurrency_alarm_percent must be from 10 to below 100."
  }
}

variable "failed_logins_alarm_threshold" {
  description = "Refused password attempts in 5 minutes above which the failed-logins alarm fires: a static band over the normal rate of typos, far below what the POST /login throttle lets through (10 req/s, 3,000 in 5 minutes)."
  type        = number
  default     = 100

  validation {
    condition     = var.failed_logins_alarm_threshold >= 1 && floor(var.failed_logins_alarm_threshold) == var.failed_logins_alarm_threshold
    error_message = "failed_logins_alarm_threshold must be a whole number of at least 1."
  }
}

variable "lockouts_alarm_threshold" {
  description = "Attempts refused by a lockout in 5 minutes above which the lockouts alarm fires: a static band; a user who forgot the password locks one account, guessing at many locks many."
  type        = number
  default     = 10

  validation {
    condition     = var.lockouts_alarm_threshold >= 1 && floor(var.lockouts_alarm_threshold) == var.lockouts_alarm_threshold
    error_message = "lockouts_alarm_threshold must be a whole number of at least 1."
  }
}

variable "topic_key_deletion_window_days" {
  description = "Days the alarm topic's KMS key stays recoverable after destroy (7 to 30)."
  type        = number
  default     = 30

  validation {
    condition     = var.topic_key_deletion_window_days >= 7 && var.topic_key_deletion_window_days <= 30
    error_message = "topic_key_deletion_window_days must be from 7 to 30."
  }
}

variable "tags" {
  description = "Tags for every resource of the module that takes them."
  type        = map(string)
  default     = {}
}
