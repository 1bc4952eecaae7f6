output "sns_topic_arn" {
  description = "ARN of the topic every alarm notifies (subscribe more endpoints to it)."
  value       = aws_sns_topic.alarms.arn
}

output "sns_topic_name" {
  description = "Name of the alarm topic."
  value       = aws_sns_topic.alarms.name
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the alarm topic."
  value       = aws_kms_key.topic.arn
}

output "cloudwatch_metric_alarm_names" {
  description = "Alarm names by alarm (<name>-<alarm>)."
  value       = { for key, alarm in aws_cloudwatch_metric_alarm.this : key => alarm.alarm_name }
}

output "cloudwatch_dashboard_name" {
  description = "Name of the dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "cloudwatch_dashboard_url" {
  description = "The dashboard in the CloudWatch console."
  value       = "https://${local.region}.console.aws.amazon.com/cloudwatch/home?region=${local.region}#dashboards/dashboard/${aws_cloudwatch_dashboard.this.dashboard_name}"
}
