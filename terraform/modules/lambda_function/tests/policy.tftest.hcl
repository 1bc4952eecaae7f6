# The real provider with fake credentials, plan only: provider-side validation runs, and the role's policy
# statements can be checked offline. The fake credentials live here, never in the module.
provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "AKIAFAKEFAKEFAKEFAKE"
  secret_key                  = "fakefakefakefakefakefakefakefakefakefake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

variables {
  function_name       = "auth-api"
  filename            = "../../../build/lambda.zip"
  dynamodb_table_arn  = "arn:aws:dynamodb:eu-west-1:123456789012:table/auth-api-data"
  dynamodb_index_arns = ["arn:aws:dynamodb:eu-west-1:123456789012:table/auth-api-data/index/users-by-id"]
  kms_key_arns        = ["arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555", "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-4888-9999-000000000000"]
}

run "least_privilege_policy" {
  command = plan

  override_resource {
    target          = module.log_group.aws_cloudwatch_log_group.this
    override_during = plan
    values          = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/auth-api" }
  }

  assert {
    condition     = [for s in data.aws_iam_policy_document.permissions.statement : s.actions] == [toset(["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]), toset(["dynamodb:Query", "dynamodb:Scan"]), toset(["kms:Sign"]), toset(["logs:CreateLogStream", "logs:PutLogEvents"])]
    error_message = "unexpected actions"
  }
  assert {
    condition     = data.aws_iam_policy_document.permissions.statement[0].resources == toset(["arn:aws:dynamodb:eu-west-1:123456789012:table/auth-api-data"])
    error_message = "unexpected table resources"
  }
  assert {
    condition     = data.aws_iam_policy_document.permissions.statement[1].resources == toset(["arn:aws:dynamodb:eu-west-1:123456789012:table/auth-api-data/index/users-by-id"])
    error_message = "Query and Scan must be granted on the named index only, never on the table"
  }
  assert {
    condition     = data.aws_iam_policy_document.permissions.statement[2].resources == toset(["arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555", "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-4888-9999-000000000000"])
    error_message = "the function signs with the keys of the set, and no other"
  }
  assert {
    condition     = data.aws_iam_policy_document.permissions.statement[3].resources == toset(["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/auth-api:*"])
    error_message = "unexpected log resources"
  }
}

run "active_tracing_adds_the_two_xray_actions" {
  command = plan

  variables {
    tracing_mode = "Active"
  }

  override_resource {
    target          = module.log_group.aws_cloudwatch_log_group.this
    override_during = plan
    values          = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/auth-api" }
  }

  assert {
    condition     = length(data.aws_iam_policy_document.permissions.statement) == 5 && data.aws_iam_policy_document.permissions.statement[4].actions == toset(["xray:PutTelemetryRecords", "xray:PutTraceSegments"]) && data.aws_iam_policy_document.permissions.statement[4].resources == toset(["*"])
    error_message = "Active tracing must add exactly the two X-Ray write actions (which take no resource but *)"
  }
}
