# Mocked provider: no credentials, no network. The one validation of the retention list, and what is planned.
mock_provider "aws" {}

variables {
  name              = "/aws/lambda/auth-api"
  retention_in_days = 30
  tags              = { Component = "test" }
}

run "plans_the_log_group_with_its_name_retention_and_tags" {
  command = plan

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/aws/lambda/auth-api" && output.cloudwatch_log_group_name == "/aws/lambda/auth-api"
    error_message = "the log group must have the name passed in"
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.retention_in_days == 30 && output.cloudwatch_log_group_retention_in_days == 30
    error_message = "the log group must have the retention passed in"
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.tags == tomap({ Component = "test" })
    error_message = "the log group must have the tags passed in"
  }
}

run "accepts_the_longest_retention_cloudwatch_offers" {
  command = plan
  variables {
    retention_in_days = 3653
  }
  assert {
    condition     = aws_cloudwatch_log_group.this.retention_in_days == 3653
    error_message = "3653 days (10 years) is a value CloudWatch Logs accepts"
  }
}

run "reject_retention_forever" {
  command = plan
  variables {
    retention_in_days = 0
  }
  expect_failures = [var.retention_in_days]
}

run "reject_retention_cloudwatch_does_not_offer" {
  command = plan
  variables {
    retention_in_days = 10
  }
  expect_failures = [var.retention_in_days]
}
