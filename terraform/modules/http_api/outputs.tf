output "api_id" {
  description = "Id of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "Base URL of the API (the $default stage, no trailing slash); also the tokens' issuer."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "api_execution_arn" {
  description = "Execution ARN of the API."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "authorizer_id" {
  description = "Id of the JWT authorizer."
  value       = aws_apigatewayv2_authorizer.jwt.id
}

output "route_ids" {
  description = "Route ids by route key."
  value       = { for route_key, route in aws_apigatewayv2_route.this : route_key => route.id }
}

output "access_log_group_name" {
  description = "The stage's access log group."
  value       = module.access_log_group.cloudwatch_log_group_name
}
