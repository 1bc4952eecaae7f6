output "api_url" {
  description = "Base URL of the API ($default stage, no trailing slash)."
  value       = module.http_api.api_endpoint
}

output "issuer" {
  description = "iss of every access token: the API's own URL."
  value       = local.issuer
}

output "jwks_url" {
  description = "The public signing key(s), as the JWT authorizer reads them."
  value       = "${module.http_api.api_endpoint}/.well-known/jwks.json"
}

output "table_name" {
  description = "The DynamoDB table."
  value       = module.table.dynamodb_table_name
}

output "function_name" {
  description = "The Lambda function."
  value       = module.lambda.lambda_function_name
}

output "function_log_group" {
  description = "The function's log group."
  value       = module.lambda.lambda_cloudwatch_log_group_name
}

output "access_log_group" {
  description = "The API's access log group."
  value       = module.http_api.access_log_group_name
}

output "signing_key_arn" {
  description = "The KMS key that signs access tokens: the active key of signing_keys."
  value       = module.signing_key[local.signing_key].key_arn
}

output "signing_key_alias" {
  description = "Alias of the key that signs."
  value       = module.signing_key[local.signing_key].alias_name
}

output "signing_public_keys" {
  description = "Each signing key's public half by name (base64 DER, SPKI): what make rotate-key checks the deployed JWKS against."
  value       = tomap({ for name, key in module.signing_key : name => key.public_key })
}

output "alarm_topic_arn" {
  description = "The SNS topic every alarm notifies: subscribe on-call endpoints to it."
  value       = module.monitoring.sns_topic_arn
}

output "dashboard_url" {
  description = "The CloudWatch dashboard of the stack."
  value       = module.monitoring.cloudwatch_dashboard_url
}

output "function_environment_names" {
  description = "Names of the function's environment variables, known at plan time (for plan review)."
  value       = sort(keys(module.lambda.lambda_environment_variables))
}
