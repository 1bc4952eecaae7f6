locals {
  # The shared definitions: Terraform reads the same files the Lambda build and the local stack use.
  routes           = jsondecode(file(coalesce(var.routes_file, "${path.module}/../build/routes.json")))
  gateway          = jsondecode(file("${path.module}/gateway-settings.json"))
  table_definition = jsondecode(file("${path.module}/../lambda/src/data/table-definition.json"))
  metrics          = jsondecode(file("${path.module}/../lambda/src/metrics/metrics.json"))

  lambda_package = coalesce(var.lambda_package, "${path.module}/../build/lambda.zip")
  audience       = coalesce(var.jwt_audience, local.gateway.audience)
  issuer         = module.http_api.api_endpoint
  # The function's metrics go to a namespace named after the stack, so two stacks in one account never mix.
  metrics_namespace = var.name

  # The key that signs (exactly one: the validation of var.signing_keys) and the others, published only.
  signing_key        = one([for name, key in var.signing_keys : name if key.state == "active"])
  other_signing_keys = sort([for name, key in var.signing_keys : name if key.state != "active"])
}

module "table" {
  source = "./modules/dynamodb_table"

  name                        = "${var.name}-data"
  partition_key               = local.table_definition.partitionKey
  sort_key                    = try(local.table_definition.sortKey, null)
  ttl_attribute               = try(local.table_definition.ttlAttribute, null)
  deletion_protection_enabled = var.table_deletion_protection
  global_secondary_indexes = [
    for index in try(local.table_definition.globalSecondaryIndexes, []) : {
      name               = index.name
      partition_key      = index.partitionKey
      projection_type    = index.projectionType
      non_key_attributes = try(index.nonKeyAttributes, [])
    }
  ]
}

# One KMS key per entry of var.signing_keys (signing-keys.auto.tfvars.json). A key left out of the map is
# scheduled for deletion, which the plan review flags: aws_kms_key is a protected type.
module "signing_key" {
  source   = "./modules/signing_key"
  for_each = var.signing_keys

  alias                   = "${var.name}-token-signing-${each.key}"
  description             = "Signs the RS256 access tokens of ${var.name}"
  deletion_window_in_days = var.signing_key_deletion_window_days
}

# The stack's one key from before key sets is the set's first key, "initial": moved in the state, not
# replaced, so the tokens it signed keep verifying. (Its alias is renamed, which replaces the alias alone.)
moved {
  from = module.signing_key
  to   = module.signing_key["initial"]
}

module "lambda" {
  source = "./modules/lambda_function"

  function_name      = var.name
  description        = "${var.name}: accounts, sessions and access tokens"
  filename           = local.lambda_package
  runtime            = var.lambda_runtime
  memory_size        = var.lambda_memory_size
  timeout            = var.lambda_timeout
  log_retention_days = var.log_retention_days
  tracing_mode       = var.tracing_enabled ? "Active" : "PassThrough"

  environment_variables = merge(
    {
      TABLE_NAME         = module.table.dynamodb_table_name
      ISSUER             = local.issuer
      AUDIENCE           = local.audience
      KMS_KEY_ID         = module.signing_key[local.signing_key].key_arn
      SIGNING_PUBLIC_KEY = module.signing_key[local.signing_key].public_key_pem
      BCRYPT_COST        = tostring(var.bcrypt_cost)
      METRICS_NAMESPACE  = local.metrics_namespace
      NODE_OPTIONS       = "--enable-source-maps"
    },
    # The keys that do not sign, published (JWKS) and accepted (token check) all the same: base64 DER, not
    # PEM, so that each takes 392 bytes of the 4 KB Lambda allows all variables together.
    length(local.other_signing_keys) == 0 ? {} : {
      OTHER_PUBLIC_KEYS = join(",", [for name in local.other_signing_keys : module.signing_key[name].public_key])
    },
  )

  dynamodb_table_arn  = module.table.dynamodb_table_arn
  dynamodb_index_arns = module.table.dynamodb_index_arns
  # Every key of the set: a pending key's permission is in place (IAM is eventually consistent) before it
  # signs, and a retiring key's stays while invocations of the configuration before may still sign with it.
  kms_key_arns = [for name in sort(keys(var.signing_keys)) : module.signing_key[name].key_arn]
}

module "http_api" {
  source = "./modules/http_api"

  name                 = var.name
  description          = "${var.name}: one Lambda behind an HTTP API, routes from build/routes.json"
  routes               = local.routes
  lambda_function_name = module.lambda.lambda_function_name
  lambda_invoke_arn    = module.lambda.lambda_function_invoke_arn
  jwt_audience         = [local.audience]

  cors = {
    allow_origins     = coalesce(var.cors_allow_origins, local.gateway.cors.allowOrigins)
    allow_methods     = local.gateway.cors.allowMethods
    allow_headers     = local.gateway.cors.allowHeaders
    expose_headers    = local.gateway.cors.exposeHeaders
    max_age_seconds   = local.gateway.cors.maxAgeSeconds
    allow_credentials = local.gateway.cors.allowCredentials
  }

  throttling = {
    burst_limit = local.gateway.throttling.default.burstLimit
    rate_limit  = local.gateway.throttling.default.rateLimit
  }
  route_throttling = {
    for route_key, limits in local.gateway.throttling.routes : route_key => {
      burst_limit = limits.burstLimit
      rate_limit  = limits.rateLimit
    }
  }

  integration_timeout_milliseconds = local.gateway.integrationTimeoutMilliseconds
  access_log_format                = local.gateway.accessLogFormat
  log_retention_days               = var.log_retention_days
}

module "monitoring" {
  source = "./modules/monitoring"

  name = var.name
  function_metrics = {
    namespace       = local.metrics_namespace
    route_dimension = local.metrics.routeDimension
    route_metrics   = keys(local.metrics.routeMetrics)
    event_metrics   = keys(local.metrics.eventMetrics)
  }
  route_keys = [for route in local.routes : route.routeKey]

  api_id                   = module.http_api.api_id
  lambda_function_name     = module.lambda.lambda_function_name
  lambda_log_group_name    = module.lambda.lambda_cloudwatch_log_group_name
  lambda_timeout_seconds   = var.lambda_timeout
  lambda_concurrency_limit = var.lambda_concurrency_limit
  dynamodb_table_name      = module.table.dynamodb_table_name
  # The operations the function's role may send: the plan tests check they are the ones the code sends.
  dynamodb_operations = [for action in module.lambda.lambda_dynamodb_actions : trimprefix(action, "dynamodb:")]

  alarm_email                   = var.alarm_email
  failed_logins_alarm_threshold = var.failed_logins_alarm_threshold
  lockouts_alarm_threshold      = var.lockouts_alarm_threshold
}
