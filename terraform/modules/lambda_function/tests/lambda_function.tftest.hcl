# Mocked provider: no credentials, no network. Checks what the module plans and rejects.
mock_provider "aws" {
  # Computed values a mock would fill with random text; these must look like the real thing.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/auth-api" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/auth-api" }
  }
}

variables {
  function_name       = "auth-api"
  filename            = "../../../build/lambda.zip"
  dynamodb_table_arn  = "arn:aws:dynamodb:eu-west-1:123456789012:table/auth-api-data"
  dynamodb_index_arns = ["arn:aws:dynamodb:eu-west-1:123456789012:table/auth-api-data/index/users-by-id"]
  kms_key_arns        = ["arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555", "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-4888-9999-000000000000"]
  environment_variables = {
    TABLE_NAME = "auth-api-data"
    KMS_KEY_ID = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  }
}

run "plans_node22_on_arm64_with_its_package_and_environment" {
  command = plan

  assert {
    condition     = aws_lambda_function.this.runtime == "nodejs22.x" && aws_lambda_function.this.architectures == tolist(["arm64"])
    error_message = "the function must run nodejs22.x on arm64"
  }
  assert {
    condition     = aws_lambda_function.this.handler == "index.handler" && aws_lambda_function.this.source_code_hash == filebase64sha256("../../../build/lambda.zip")
    error_message = "handler or source_code_hash wrong"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables == var.environment_variables
    error_message = "environment not passed through"
  }
  assert {
    condition     = aws_lambda_function.this.memory_size == 1024 && aws_lambda_function.this.timeout == 10
    error_message = "memory and timeout defaults"
  }
  assert {
    condition     = module.log_group.cloudwatch_log_group_name == "/aws/lambda/auth-api" && module.log_group.cloudwatch_log_group_retention_in_days == 30
    error_message = "the log group must be /aws/lambda/<name> with retention"
  }
  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_group == module.log_group.cloudwatch_log_group_name
    error_message = "the function must log to its own log group"
  }
}

run "traces_only_when_active" {
  command = plan
  variables {
    tracing_mode = "Active"
  }
  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "Active"
    error_message = "tracing_mode must reach the function"
  }
}

run "reject_unknown_tracing_mode" {
  command = plan
  variables {
    tracing_mode = "On"
  }
  expect_failures = [var.tracing_mode]
}

run "reject_retired_runtime" {
  command = plan
  variables {
    runtime = "nodejs20.x"
  }
  expect_failures = [var.runtime]
}

run "reject_unknown_architecture" {
  command = plan
  variables {
    architecture = "arm"
  }
  expect_failures = [var.architecture]
}

run "reject_bad_function_name" {
  command = plan
  variables {
    function_name = "auth api"
  }
  expect_failures = [var.function_name]
}

run "reject_package_that_is_not_a_zip" {
  command = plan
  variables {
    filename = "../../../build/lambda/index.mjs"
  }
  expect_failures = [var.filename]
}

run "reject_too_little_memory" {
  command = plan
  variables {
    memory_size = 64
  }
  expect_failures = [var.memory_size]
}

run "reject_timeout_over_15_minutes" {
  command = plan
  variables {
    timeout = 901
  }
  expect_failures = [var.timeout]
}

run "reject_secret_looking_environment" {
  command = plan
  variables {
    environment_variables = { JWT_PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----" }
  }
  expect_failures = [var.environment_variables]
}

run "reject_reserved_environment_names" {
  command = plan
  variables {
    environment_variables = { AWS_REGION = "eu-west-1" }
  }
  expect_failures = [var.environment_variables]
}

# The retention list is validated once, by modules/log_group (its tests refuse 0 and values CloudWatch does
# not accept); here: the value reaches it.
run "passes_log_retention_to_the_log_group" {
  command = plan
  variables {
    log_retention_days = 90
  }
  assert {
    condition     = module.log_group.cloudwatch_log_group_retention_in_days == 90
    error_message = "log_retention_days must reach the log group module, which validates it"
  }
}

run "reject_wildcard_table" {
  command = plan
  variables {
    dynamodb_table_arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/*"
  }
  expect_failures = [var.dynamodb_table_arn]
}

run "reject_wildcard_index" {
  command = plan
  variables {
    dynamodb_index_arns = ["arn:aws:dynamodb:eu-west-1:123456789012:table/auth-api-data/index/*"]
  }
  expect_failures = [var.dynamodb_index_arns]
}

run "reject_index_action_other_than_query_and_scan" {
  command = plan
  variables {
    dynamodb_index_actions = ["dynamodb:Query", "dynamodb:GetItem"]
  }
  expect_failures = [var.dynamodb_index_actions]
}

run "reject_wildcard_dynamodb_action" {
  command = plan
  variables {
    dynamodb_actions = ["dynamodb:*"]
  }
  expect_failures = [var.dynamodb_actions]
}

run "reject_key_alias_instead_of_key" {
  command = plan
  variables {
    kms_key_arns = ["arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555", "arn:aws:kms:eu-west-1:123456789012:alias/auth-api"]
  }
  expect_failures = [var.kms_key_arns]
}

run "reject_no_key" {
  command = plan
  variables {
    kms_key_arns = []
  }
  expect_failures = [var.kms_key_arns]
}

run "reject_kms_actions_beyond_signing" {
  command = plan
  variables {
    kms_actions = ["kms:Sign", "kms:Decrypt"]
  }
  expect_failures = [var.kms_actions]
}
