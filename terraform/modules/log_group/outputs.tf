output "cloudwatch_log_group_name" {
  description = "Name of the log group, known at plan time."
  value       = aws_cloudwatch_log_group.this.name
}

output "cloudwatch_log_group_arn" {
  description = "ARN of the log group, without the :* suffix (add it for logs:PutLogEvents)."
  value       = aws_cloudwatch_log_group.this.arn
}

output "cloudwatch_log_group_retention_in_days" {
  description = "Days the log group keeps its events."
  value       = aws_cloudwatch_log_group.this.retention_in_days
}
