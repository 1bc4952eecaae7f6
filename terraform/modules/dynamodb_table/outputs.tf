output "dynamodb_table_id" {
  description = "Id of the table (for DynamoDB, its name)."
  value       = aws_dynamodb_table.this.id
}

output "dynamodb_table_name" {
  description = "Name of the table, known at plan time."
  value       = aws_dynamodb_table.this.name
}

output "dynamodb_table_arn" {
  description = "ARN of the table, for IAM policies."
  value       = aws_dynamodb_table.this.arn
}

output "dynamodb_index_arns" {
  description = "ARNs of the global secondary indexes, for IAM policies (Query and Scan name the index, not the table)."
  value       = [for index in var.global_secondary_indexes : "${aws_dynamodb_table.this.arn}/index/${index.name}"]
}
