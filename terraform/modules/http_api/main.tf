locals {
  routes = { for route in var.routes : route.routeKey => route }
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = var.description
  protocol_type = "HTTP"

  dynamic "cors_configuration" {
    for_each = var.cors == null ? [] : [var.cors]
    content {
      allow_origins     = cors_configuration.value.allow_origins
      allow_methods     = cors_configuration.value.allow_methods
      allow_headers     = cors_configuration.value.allow_headers
      expose_headers    = cors_configuration.value.expose_headers
      max_age           = cors_configuration.value.max_age_seconds
      allow_credentials = cors_configuration.value.allow_credentials
    }
  }

  tags = var.tags
}

resource "aws_apigatewayv2_integration" "lambda" {
  api_id                 = aws_apigatewayv2_api.this.id
  description            = "The one Lambda function; it dispatches on the route key"
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = var.lambda_invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = var.integration_timeout_milliseconds
}

# The API is its own issuer: the authorizer reads <api_endpoint>/.well-known/openid-configuration, which
# the Lambda serves on a public route, and verifies RS256 tokens against the JWKS it points to.
resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.this.id
  name             = "${var.name}-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = aws_apigatewayv2_api.this.api_endpoint
    audience = var.jwt_audience
  }
}

# One route per entry of the route manifest (build/routes.json); jwt routes get the authorizer, and those with
# scopes let a token through only if its scope claim holds one of them (403 otherwise, the function never
# invoked): https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html and
# https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/apigatewayv2_route#authorization_scopes
resource "aws_apigatewayv2_route" "this" {
  for_each = local.routes

  api_id               = aws_apigatewayv2_api.this.id
  route_key            = each.key
  target               = "integrations/${aws_apigatewayv2_integration.lambda.id}"
  authorization_type   = each.value.auth == "jwt" ? "JWT" : "NONE"
  authorizer_id        = each.value.auth == "jwt" ? aws_apigatewayv2_authorizer.jwt.id : null
  authorization_scopes = length(each.value.scopes) > 0 ? each.value.scopes : null
}

# Under /aws/vendedlogs/: log deliveries to other names each add the group to CloudWatch Logs' one account
# resource policy, until its 5,120-character limit makes enabling logging fail ("Insufficient permissions").
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
# https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html
module "access_log_group" {
  source = "../log_group"

  name              = "/aws/vendedlogs/apigateway/${var.name}/access"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# The access log group was a resource of this module until it moved into modules/log_group: an existing
# stack's access log group (and its logs) is moved in the state, not destroyed and created again.
moved {
  from = aws_cloudwatch_log_group.access
  to   = module.access_log_group.aws_cloudwatch_log_group.this
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = module.access_log_group.cloudwatch_log_group_arn
    format          = jsonencode(var.access_log_format)
  }

  default_route_settings {
    throttling_burst_limit = var.throttling.burst_limit
    throttling_rate_limit  = var.throttling.rate_limit
  }

  dynamic "route_settings" {
    for_each = var.route_throttling
    content {
      route_key              = route_settings.key
      throttling_burst_limit = route_settings.value.burst_limit
      throttling_rate_limit  = route_settings.value.rate_limit
    }
  }

  tags = var.tags

  # Route settings name routes that must exist first.
  depends_on = [aws_apigatewayv2_route.this]
}

# Only this API may invoke the function (any stage, any route of it).
resource "aws_lambda_permission" "invoke" {
  statement_id  = "AllowInvokeFrom-${var.name}"
  action        = "lambda:InvokeFunction"
  function_name = var.lambda_function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}
