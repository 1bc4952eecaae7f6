# One CloudWatch Logs log group with a retention period: the function's and the API's access logs both
# use this module, so the list of retention values CloudWatch accepts is written (and validated) once.
resource "aws_cloudwatch_log_group" "this" {
  name              = var.name
  retention_in_days = var.retention_in_days
  tags              = var.tags
}
