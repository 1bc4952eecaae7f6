output "lambda_function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "lambda_function_arn" {
  description = "ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "lambda_function_invoke_arn" {
  description = "ARN API Gateway invokes the function with."
  value       = aws_lambda_function.this.invoke_arn
}

output "lambda_role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

output "lambda_role_policy_json" {
  description = "The role's inline policy document."
  value       = data.aws_iam_policy_document.permissions.json
}

output "lambda_dynamodb_actions" {
  description = "The DynamoDB actions the role allows, which are the operations the function sends."
  value       = var.dynamodb_actions
}

output "lambda_cloudwatch_log_group_name" {
  description = "The function's log group."
  value       = module.log_group.cloudwatch_log_group_name
}

output "lambda_environment_variables" {
  description = "The function's environment (never secrets; the module refuses names that look like one)."
  value       = var.environment_variables
}
