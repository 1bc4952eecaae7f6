variable "name" {
  description = "Name of the API; also names its authorizer and access log group."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1 to 64 characters of A-Z a-z 0-9 _ -."
  }
}

variable "description" {
  description = "Description of the API."
  type        = string
  default     = ""
}

variable "routes" {
  description = "The route manifest: one route per entry, e.g. jsondecode(file(\"build/routes.json\")). auth is public or jwt; a jwt route's scopes, if any, are its authorization scopes (a token needs one of them)."
  type = list(object({
    routeKey = string
    auth     = string
    scopes   = optional(list(string), [])
  }))

  validation {
    condition     = length(var.routes) > 0 && alltrue([for route in var.routes : contains(["public", "jwt"], route.auth)])
    error_message = "routes must not be empty, and every route's auth must be public or jwt."
  }

  validation {
    condition     = alltrue([for route in var.routes : can(regex("^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) /[^ ]*$", route.routeKey))])
    error_message = "every routeKey must be \"<METHOD> /<path>\"."
  }

  validation {
    condition     = length(distinct([for route in var.routes : route.routeKey])) == length(var.routes)
    error_message = "route keys must be unique."
  }

  validation {
    condition     = alltrue([for route in var.routes : length(route.scopes) == 0 || route.auth == "jwt"])
    error_message = "only jwt routes can have scopes: API Gateway checks them with the JWT authorizer."
  }

  # At most 10 scopes per route (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html#http-api-quotas),
  # each an RFC 6749 scope-token (section 3.3): printable ASCII without space, " and \.
  validation {
    condition     = alltrue([for route in var.routes : length(route.scopes) <= 10 && alltrue([for scope in route.scopes : can(regex("^[!#-\\[\\]-~]+$", scope))])])
    error_message = "a route may have at most 10 scopes, each printable ASCII without spaces, quotes or backslashes (an RFC 6749 scope-token)."
  }
}

variable "lambda_function_name" {
  description = "Name of the function behind every route."
  type        = string
}

variable "lambda_invoke_arn" {
  description = "Invoke ARN of the function behind every route."
  type        = string
}

variable "jwt_audience" {
  description = "Accepted aud values of access tokens on jwt routes."
  type        = list(string)

  validation {
    condition     = length(var.jwt_audience) > 0 && alltrue([for audience in var.jwt_audience : length(trimspace(audience)) > 0])
    error_message = "jwt_audience must hold at least one non-empty audience."
  }
}

variable "cors" {
  description = "CORS answered by API Gateway itself; null turns CORS off."
  type = object({
    allow_origins     = list(string)
    allow_methods     = list(string)
    allow_headers     = list(string)
    expose_headers    = list(string)
    max_age_seconds   = number
    allow_credentials = bool
  })
  default = null

  validation {
    condition     = var.cors == null || !(try(var.cors.allow_credentials, false) && contains(try(var.cors.allow_origins, []), "*"))
    error_message = "cors must not allow credentials together with the origin *: name the origins."
  }

  validation {
    condition     = var.cors == null || try(var.cors.max_age_seconds >= 0 && var.cors.max_age_seconds <= 86400, false)
    error_message = "cors.max_age_seconds must be from 0 to 86400."
  }
}

variable "throttling" {
  description = "Stage-wide default throttling: steady requests per second and burst."
  type = object({
    burst_limit = number
    rate_limit  = number
  })

  validation {
    condition     = var.throttling.burst_limit > 0 && var.throttling.rate_limit > 0
    error_message = "throttling.burst_limit and throttling.rate_limit must be greater than 0 (0 would block every request)."
  }
}

variable "route_throttling" {
  description = "Stricter throttling for single routes, keyed by route key (e.g. POST /login)."
  type = map(object({
    burst_limit = number
    rate_limit  = number
  }))
  default = {}

  validation {
    condition     = alltrue([for limits in values(var.route_throttling) : limits.burst_limit > 0 && limits.rate_limit > 0])
    error_message = "route_throttling limits must be greater than 0."
  }

  validation {
    condition     = alltrue([for route_key in keys(var.route_throttling) : contains([for route in var.routes : route.routeKey], route_key)])
    error_message = "route_throttling may only name route keys that are in routes."
  }
}

variable "integration_timeout_milliseconds" {
  description = "How long the gateway waits for the function before answering 503: 50 to 30000 ms."
  type        = number
  default     = 30000

  validation {
    condition     = var.integration_timeout_milliseconds >= 50 && var.integration_timeout_milliseconds <= 30000
    error_message = "integration_timeout_milliseconds must be from 50 to 30000 (the HTTP API maximum)."
  }
}

variable "access_log_format" {
  description = "Fields of the JSON access-log line, name => $context variable."
  type        = map(string)

  validation {
    condition     = contains(values(var.access_log_format), "$context.requestId")
    error_message = "access_log_format must include $context.requestId."
  }
}

variable "log_retention_days" {
  description = "Retention of the access log group, in days; modules/log_group checks it is a value CloudWatch Logs accepts (never 0)."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags for every resource of the module that takes them."
  type        = map(string)
  default     = {}
}
