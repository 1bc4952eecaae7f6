mock_provider "aws" {
  mock_resource "aws_apigatewayv2_api" {
    defaults = {
      id            = "abc123"
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123"
      api_endpoint  = "https://abc123.execute-api.eu-west-1.amazonaws.com"
    }
  }
  mock_resource "aws_apigatewayv2_authorizer" {
    defaults = { id = "authz01" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/apigateway/auth-api/access" }
  }
}

variables {
  name = "auth-api"
  routes = [
    { routeKey = "POST /login", auth = "public" },
    { routeKey = "GET /me", auth = "jwt" },
    { routeKey = "GET /admin/users", auth = "jwt", scopes = ["admin"] },
    { routeKey = "GET /.well-known/openid-configuration", auth = "public" },
  ]
  lambda_function_name = "auth-api"
  lambda_invoke_arn    = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:auth-api/invocations"
  jwt_audience         = ["auth-api"]
  cors = {
    allow_origins     = ["https://app.example.com"]
    allow_methods     = ["GET", "POST"]
    allow_headers     = ["authorization", "content-type"]
    expose_headers    = ["www-authenticate"]
    max_age_seconds   = 600
    allow_credentials = false
  }
  throttling        = { burst_limit = 100, rate_limit = 50 }
  route_throttling  = { "POST /login" = { burst_limit = 20, rate_limit = 10 } }
  access_log_format = { requestId = "$context.requestId", status = "$context.status" }
}

run "one_route_per_entry_with_the_authorizer_on_jwt_routes" {
  command = apply # mocked: nothing is created, computed values come from the mocks above

  assert {
    condition     = keys(aws_apigatewayv2_route.this) == ["GET /.well-known/openid-configuration", "GET /admin/users", "GET /me", "POST /login"]
    error_message = "one route per manifest entry, keyed by route key"
  }
  assert {
    condition     = aws_apigatewayv2_route.this["GET /admin/users"].authorization_type == "JWT" && aws_apigatewayv2_route.this["GET /admin/users"].authorization_scopes == toset(["admin"])
    error_message = "a jwt route with scopes must carry them as its authorization scopes"
  }
  assert {
    condition     = alltrue([for key in ["GET /me", "POST /login"] : aws_apigatewayv2_route.this[key].authorization_scopes == null])
    error_message = "routes without scopes must have no authorization scopes"
  }
  assert {
    condition     = aws_apigatewayv2_route.this["GET /me"].authorization_type == "JWT" && aws_apigatewayv2_route.this["GET /me"].authorizer_id == "authz01"
    error_message = "jwt routes must use the JWT authorizer"
  }
  assert {
    condition     = alltrue([for key in ["POST /login", "GET /.well-known/openid-configuration"] : aws_apigatewayv2_route.this[key].authorization_type == "NONE" && aws_apigatewayv2_route.this[key].authorizer_id == null])
    error_message = "public routes must have no authorizer"
  }
  assert {
    condition     = aws_apigatewayv2_authorizer.jwt.jwt_configuration[0].issuer == "https://abc123.execute-api.eu-west-1.amazonaws.com" && aws_apigatewayv2_authorizer.jwt.jwt_configuration[0].audience == toset(["auth-api"])
    error_message = "the issuer must be the API's own endpoint"
  }
  assert {
    condition     = aws_lambda_permission.invoke.source_arn == "arn:aws:execute-api:eu-west-1:123456789012:abc123/*/*" && aws_lambda_permission.invoke.principal == "apigateway.amazonaws.com"
    error_message = "the invoke permission must be scoped to this API"
  }
  assert {
    condition     = aws_apigatewayv2_integration.lambda.payload_format_version == "2.0" && aws_apigatewayv2_integration.lambda.integration_type == "AWS_PROXY" && aws_apigatewayv2_integration.lambda.timeout_milliseconds == 30000
    error_message = "integration must be AWS_PROXY, payload 2.0, with a timeout"
  }
  assert {
    condition     = aws_apigatewayv2_stage.default.name == "$default" && aws_apigatewayv2_stage.default.auto_deploy
    error_message = "the $default stage must auto-deploy"
  }
  assert {
    condition     = aws_apigatewayv2_stage.default.default_route_settings[0].throttling_burst_limit == 100 && aws_apigatewayv2_stage.default.default_route_settings[0].throttling_rate_limit == 50
    error_message = "stage throttling"
  }
  assert {
    condition     = [for s in aws_apigatewayv2_stage.default.route_settings : [s.route_key, s.throttling_burst_limit, s.throttling_rate_limit]] == [["POST /login", 20, 10]]
    error_message = "per-route throttling"
  }
  assert {
    condition     = aws_apigatewayv2_stage.default.access_log_settings[0].destination_arn == module.access_log_group.cloudwatch_log_group_arn && tomap(jsondecode(aws_apigatewayv2_stage.default.access_log_settings[0].format)) == var.access_log_format
    error_message = "JSON access logs to the access log group"
  }
  assert {
    condition     = module.access_log_group.cloudwatch_log_group_name == "/aws/vendedlogs/apigateway/auth-api/access" && module.access_log_group.cloudwatch_log_group_retention_in_days == 30
    error_message = "access logs need retention"
  }
  assert {
    condition     = aws_apigatewayv2_api.this.protocol_type == "HTTP" && aws_apigatewayv2_api.this.cors_configuration[0].allow_origins == toset(["https://app.example.com"])
    error_message = "HTTP API with CORS from the variable"
  }
}

run "reject_scopes_on_a_public_route" {
  command = plan
  variables {
    routes = [{ routeKey = "POST /login", auth = "public", scopes = ["admin"] }]
  }
  expect_failures = [var.routes]
}

run "reject_a_scope_that_is_not_a_scope_token" {
  command = plan
  variables {
    routes = [{ routeKey = "GET /admin/users", auth = "jwt", scopes = ["two words"] }]
  }
  expect_failures = [var.routes]
}

run "reject_more_than_ten_scopes" {
  command = plan
  variables {
    routes = [{ routeKey = "GET /admin/users", auth = "jwt", scopes = [for i in range(11) : "scope${i}"] }]
  }
  expect_failures = [var.routes]
}

run "reject_credentials_with_any_origin" {
  command = plan
  variables {
    cors = {
      allow_origins     = ["*"]
      allow_methods     = ["GET"]
      allow_headers     = []
      expose_headers    = []
      max_age_seconds   = 0
      allow_credentials = true
    }
  }
  expect_failures = [var.cors]
}

run "reject_bad_cors_max_age" {
  command = plan
  variables {
    cors = {
      allow_origins     = ["https://app.example.com"]
      allow_methods     = ["GET"]
      allow_headers     = []
      expose_headers    = []
      max_age_seconds   = 86401
      allow_credentials = false
    }
  }
  expect_failures = [var.cors]
}

run "reject_unknown_auth" {
  command = plan
  variables {
    routes = [{ routeKey = "GET /me", auth = "iam" }]
  }
  expect_failures = [var.routes]
}

run "reject_malformed_route_key" {
  command = plan
  variables {
    routes = [{ routeKey = "/me", auth = "jwt" }]
  }
  expect_failures = [var.routes]
}

run "reject_duplicate_route_keys" {
  command = plan
  variables {
    routes = [{ routeKey = "GET /me", auth = "jwt" }, { routeKey = "GET /me", auth = "public" }]
  }
  expect_failures = [var.routes]
}

run "reject_empty_audience" {
  command = plan
  variables {
    jwt_audience = [" "]
  }
  expect_failures = [var.jwt_audience]
}

run "reject_zero_throttling" {
  command = plan
  variables {
    throttling = { burst_limit = 0, rate_limit = 50 }
  }
  expect_failures = [var.throttling]
}

run "reject_zero_route_throttling" {
  command = plan
  variables {
    route_throttling = { "POST /login" = { burst_limit = 20, rate_limit = 0 } }
  }
  expect_failures = [var.route_throttling]
}

run "reject_throttling_for_unknown_route" {
  command = plan
  variables {
    route_throttling = { "POST /signin" = { burst_limit = 20, rate_limit = 10 } }
  }
  expect_failures = [var.route_throttling]
}

run "reject_integration_timeout_over_30s" {
  command = plan
  variables {
    integration_timeout_milliseconds = 30001
  }
  expect_failures = [var.integration_timeout_milliseconds]
}

run "reject_access_log_without_request_id" {
  command = plan
  variables {
    access_log_format = { status = "$context.status" }
  }
  expect_failures = [var.access_log_format]
}

# The retention list is validated once, by modules/log_group (its tests refuse 0 and values CloudWatch does
# not accept); here: the value reaches it.
run "passes_log_retention_to_the_access_log_group" {
  command = plan
  variables {
    log_retention_days = 90
  }
  assert {
    condition     = module.access_log_group.cloudwatch_log_group_retention_in_days == 90
    error_message = "log_retention_days must reach the log group module, which validates it"
  }
}

run "reject_bad_name" {
  command = plan
  variables {
    name = "auth api"
  }
  expect_failures = [var.name]
}
