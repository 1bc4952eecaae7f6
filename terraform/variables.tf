variable "name" {
  description = "Name of the stack; prefixes the function, API, table, key alias and log groups."
  type        = string
  default     = "auth-api"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,39}$", var.name))
    error_message = "name must be 3 to 40 characters of a-z 0-9 -, starting with a letter."
  }
}

variable "aws_region" {
  description = "Region to deploy to; null uses the region of your AWS profile or AWS_REGION."
  type        = string
  default     = null

  validation {
    condition     = var.aws_region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region name such as eu-west-1."
  }
}

variable "jwt_audience" {
  description = "aud of the access tokens, checked by the JWT authorizer and the Lambda; null uses audience from gateway-settings.json."
  type        = string
  default     = null

  validation {
    condition     = var.jwt_audience == null || try(length(trimspace(var.jwt_audience)) > 0, false)
    error_message = "jwt_audience must be null or a non-empty string."
  }
}

variable "cors_allow_origins" {
  description = "Origins allowed to call the API from a browser; null uses cors.allowOrigins from gateway-settings.json (the local dev origins)."
  type        = list(string)
  default     = null

  validation {
    condition     = var.cors_allow_origins == null || alltrue([for origin in coalesce(var.cors_allow_origins, []) : origin == "*" || can(regex("^https?://[^/]+$", origin))])
    error_message = "cors_allow_origins must be origins such as https://app.example.com (scheme and host, no path), or *."
  }
}

variable "bcrypt_cost" {
  description = "bcrypt cost factor of password hashes: 10 to 14. Each step doubles login CPU time."
  type        = number
  default     = 10

  validation {
    condition     = var.bcrypt_cost >= 10 && var.bcrypt_cost <= 14 && floor(var.bcrypt_cost) == var.bcrypt_cost
    error_message = "bcrypt_cost must be a whole number from 10 to 14."
  }
}

variable "lambda_runtime" {
  description = "Lambda runtime of the function: nodejs22.x (deprecated on 2027-04-30) or nodejs24.x, which needs hashicorp/aws 6.19 or later (see the README)."
  type        = string
  default     = "nodejs22.x"

  validation {
    condition     = contains(["nodejs22.x", "nodejs24.x"], var.lambda_runtime)
    error_message = "lambda_runtime must be nodejs22.x or nodejs24.x."
  }
}

variable "lambda_memory_size" {
  description = "Memory of the function in MB; CPU, and so bcrypt speed, grows with it."
  type        = number
  default     = 1024

  validation {
    condition     = var.lambda_memory_size >= 128 && var.lambda_memory_size <= 10240
    error_message = "lambda_memory_size must be from 128 to 10240."
  }
}

variable "lambda_timeout" {
  description = "Function timeout in seconds; shorter than the gateway's integration timeout, so a slow call ends in the function's own 503."
  type        = number
  default     = 10

  validation {
    condition     = var.lambda_timeout >= 1 && var.lambda_timeout * 1000 < jsondecode(file("${path.module}/gateway-settings.json")).integrationTimeoutMilliseconds
    error_message = "lambda_timeout must be at least 1 second and shorter than integrationTimeoutMilliseconds in gateway-settings.json."
  }
}

variable "tracing_enabled" {
  description = "X-Ray active tracing of the function (HTTP APIs cannot trace their stages; only REST APIs can). Off by default: traces are billed per trace recorded beyond X-Ray's free tier (see the README)."
  type        = bool
  default     = false
}

variable "lambda_concurrency_limit" {
  description = "Concurrency the function can reach, for its concurrency alarm: the account's Lambda concurrent-executions quota in the region (1,000 by default, often less on new accounts), or a reserved concurrency (modules/monitoring validates it)."
  type        = number
  default     = 1000
}

variable "alarm_email" {
  description = "An email address to subscribe to the alarm topic (confirm the message AWS sends); null subscribes nobody (subscribe other endpoints to the topic yourself)."
  type        = string
  default     = null
}

variable "failed_logins_alarm_threshold" {
  description = "Refused password attempts per 5 minutes above which the failed-logins alarm fires (a static band; modules/monitoring validates it)."
  type        = number
  default     = 100
}

variable "lockouts_alarm_threshold" {
  description = "Attempts refused by a lockout per 5 minutes above which the lockouts alarm fires (a static band; modules/monitoring validates it)."
  type        = number
  default     = 10
}

variable "log_retention_days" {
  description = "Retention of the function's and the API's log groups, in days: a value CloudWatch Logs accepts, never 0 (forever); modules/log_group validates it."
  type        = number
  default     = 30
}

variable "table_deletion_protection" {
  description = "Deletion protection of the table. make destroy turns it off first; leave it on otherwise."
  type        = bool
  default     = true
}

variable "signing_key_deletion_window_days" {
  description = "Days a signing key stays recoverable once it leaves signing_keys or the stack is destroyed (7 to 30)."
  type        = number
  default     = 30

  validation {
    condition     = var.signing_key_deletion_window_days >= 7 && var.signing_key_deletion_window_days <= 30
    error_message = "signing_key_deletion_window_days must be from 7 to 30."
  }
}

variable "signing_keys" {
  description = "The token signing keys by name, one KMS key each (signing-keys.auto.tfvars.json, written by make rotate-key and make retire-keys): state active (the one that signs), pending (published, not signing yet) or retiring (published until the tokens it signed have expired), and since, when it entered that state (UTC; null until applied). A key left out is scheduled for deletion."
  type = map(object({
    state = string
    since = optional(string)
  }))

  validation {
    condition     = alltrue([for name in keys(var.signing_keys) : can(regex("^[a-z0-9][a-z0-9-]{0,31}$", name))])
    error_message = "signing_keys names must be 1 to 32 characters of a-z 0-9 -, starting with a letter or digit (each becomes part of its key's alias)."
  }

  validation {
    condition     = alltrue([for key in values(var.signing_keys) : contains(["active", "pending", "retiring"], key.state)])
    error_message = "each signing key's state must be active, pending or retiring."
  }

  validation {
    condition     = length([for key in values(var.signing_keys) : key if key.state == "active"]) == 1
    error_message = "signing_keys must have exactly one active key: the one that signs."
  }

  validation {
    condition     = length([for key in values(var.signing_keys) : key if key.state == "pending"]) <= 1
    error_message = "signing_keys may have at most one pending key."
  }

  # The function's environment carries the public half of every key that does not sign (392 bytes each),
  # and Lambda allows 4 KB for all variables together; a rotation needs three keys at most.
  validation {
    condition     = length(var.signing_keys) <= 4
    error_message = "signing_keys may hold at most 4 keys: run make retire-keys first."
  }

  validation {
    condition     = alltrue([for key in values(var.signing_keys) : key.since == null || (can(regex("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$", key.since)) && can(formatdate("YYYY", key.since)))])
    error_message = "each signing key's since must be null or a UTC time such as 2026-01-31T12:00:00Z."
  }
}

variable "routes_file" {
  description = "Route manifest; null uses build/routes.json, written by make build."
  type        = string
  default     = null
}

variable "lambda_package" {
  description = "Deployment package; null uses build/lambda.zip, written by make build."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags on every resource (provider default_tags)."
  type        = map(string)
  default = {
    Project   = "serverless-auth-api"
    ManagedBy = "terraform"
  }
}
