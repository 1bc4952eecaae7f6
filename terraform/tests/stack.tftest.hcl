# The whole stack with a mocked provider: checks how the modules are wired together and what the root
# reads from the shared files (build/routes.json, gateway-settings.json, the table definition).
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}"
    }
  }
  mock_resource "aws_apigatewayv2_api" {
    defaults = {
      id            = "abc123"
      execution_arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123"
      api_endpoint  = "https://abc123.execute-api.eu-west-1.amazonaws.com"
    }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/auth-api-data" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-4333-8444-555555555555" }
  }
  mock_data "aws_kms_public_key" {
    defaults = { public_key_pem = "-----BEGIN PUBLIC KEY-----\nMOCK\n-----END PUBLIC KEY-----\n", public_key = "TU9DSw==" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/auth-api" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/auth-api" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:auth-api-alarms" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
}

# The committed key set (signing-keys.auto.tfvars.json) may be mid-rotation; these runs pin their own.
variables {
  signing_keys = { initial = { state = "active" } }
}

run "wires_the_modules_together" {
  command = apply # mocked: nothing is created

  assert {
    condition     = output.api_url == "https://abc123.execute-api.eu-west-1.amazonaws.com" && output.jwks_url == "https://abc123.execute-api.eu-west-1.amazonaws.com/.well-known/jwks.json"
    error_message = "api_url and jwks_url"
  }
  assert {
    condition     = output.function_name == "auth-api" && output.table_name == "auth-api-data"
    error_message = "outputs"
  }
  # The Lambda signs with the KMS key, gets its public half from the key itself, and names the issuer the
  # authorizer trusts, byte for byte. With one key there is no other to publish.
  assert {
    condition = module.lambda.lambda_environment_variables == tomap({
      TABLE_NAME         = "auth-api-data"
      ISSUER             = "https://abc123.execute-api.eu-west-1.amazonaws.com"
      AUDIENCE           = "auth-api"
      KMS_KEY_ID         = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-4333-8444-555555555555"
      SIGNING_PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nMOCK\n-----END PUBLIC KEY-----\n"
      BCRYPT_COST        = "10"
      METRICS_NAMESPACE  = "auth-api"
      NODE_OPTIONS       = "--enable-source-maps"
    })
    error_message = "the function's environment"
  }
  assert {
    condition     = local.issuer == "https://abc123.execute-api.eu-west-1.amazonaws.com" && !endswith(local.issuer, "/")
    error_message = "the issuer must be the API endpoint without a trailing slash"
  }
  assert {
    condition     = local.audience == jsondecode(file("gateway-settings.json")).audience
    error_message = "the audience defaults to gateway-settings.json"
  }
  assert {
    condition     = length(local.routes) == length(jsondecode(file("../build/routes.json")))
    error_message = "routes come from build/routes.json"
  }
}

run "audience_and_origins_can_be_overridden" {
  command = plan
  variables {
    jwt_audience       = "my-app"
    cors_allow_origins = ["https://app.example.com"]
  }
  assert {
    condition     = local.audience == "my-app"
    error_message = "jwt_audience must override the default"
  }
}

run "reject_bad_name" {
  command = plan
  variables {
    name = "Auth_API"
  }
  expect_failures = [var.name]
}

run "reject_bad_region" {
  command = plan
  variables {
    aws_region = "europe"
  }
  expect_failures = [var.aws_region]
}

run "reject_empty_audience" {
  command = plan
  variables {
    jwt_audience = ""
  }
  expect_failures = [var.jwt_audience]
}

run "reject_origin_with_path" {
  command = plan
  variables {
    cors_allow_origins = ["https://app.example.com/login"]
  }
  expect_failures = [var.cors_allow_origins]
}

run "reject_bcrypt_cost_out_of_range" {
  command = plan
  variables {
    bcrypt_cost = 15
  }
  expect_failures = [var.bcrypt_cost]
}

run "reject_retired_runtime" {
  command = plan
  variables {
    lambda_runtime = "nodejs20.x"
  }
  expect_failures = [var.lambda_runtime]
}

run "reject_too_little_memory" {
  command = plan
  variables {
    lambda_memory_size = 64
  }
  expect_failures = [var.lambda_memory_size]
}

run "reject_function_timeout_not_below_gateway_timeout" {
  command = plan
  variables {
    lambda_timeout = 30
  }
  expect_failures = [var.lambda_timeout]
}

# log_retention_days is validated once, by modules/log_group: its tests refuse 0 and values CloudWatch does
# not accept, and test/terraform/plan.test.ts checks that the offline plan of the stack fails with its message.

run "reject_short_key_deletion_window" {
  command = plan
  variables {
    signing_key_deletion_window_days = 3
  }
  expect_failures = [var.signing_key_deletion_window_days]
}

run "a_key_set_signs_with_its_active_key_and_publishes_the_others" {
  command = apply # mocked: nothing is created
  variables {
    signing_keys = {
      initial      = { state = "retiring", since = "2026-05-22T12:00:00Z" }
      "2026-05-22" = { state = "active", since = "2026-05-22T12:00:00Z" }
      "2026-06-01" = { state = "pending" }
    }
  }

  override_resource {
    target = module.signing_key["2026-05-22"].aws_kms_key.this
    values = { arn = "arn:aws:kms:eu-west-1:123456789012:key/22222222-2222-4222-8222-222222222222" }
  }
  override_data {
    target = module.signing_key["2026-05-22"].data.aws_kms_public_key.this
    values = { public_key_pem = "-----BEGIN PUBLIC KEY-----\nACTIVE\n-----END PUBLIC KEY-----\n", public_key = "QUNUSVZF" }
  }
  override_data {
    target = module.signing_key["2026-06-01"].data.aws_kms_public_key.this
    values = { public_key = "UEVORElORw==" }
  }

  assert {
    condition     = module.lambda.lambda_environment_variables["KMS_KEY_ID"] == "arn:aws:kms:eu-west-1:123456789012:key/22222222-2222-4222-8222-222222222222" && module.lambda.lambda_environment_variables["SIGNING_PUBLIC_KEY"] == "-----BEGIN PUBLIC KEY-----\nACTIVE\n-----END PUBLIC KEY-----\n"
    error_message = "the active key signs"
  }
  assert {
    condition     = module.lambda.lambda_environment_variables["OTHER_PUBLIC_KEYS"] == "UEVORElORw==,TU9DSw=="
    error_message = "the pending and the retiring key are published, by name, as base64 DER"
  }
  assert {
    condition     = length(module.signing_key) == 3 && module.signing_key["initial"].alias_name == "alias/auth-api-token-signing-initial"
    error_message = "one key, with an alias naming it, per entry"
  }
  assert {
    condition     = output.signing_key_arn == "arn:aws:kms:eu-west-1:123456789012:key/22222222-2222-4222-8222-222222222222" && output.signing_public_keys["2026-06-01"] == "UEVORElORw=="
    error_message = "outputs: the signing key, and every public half by name"
  }
}

run "reject_no_active_signing_key" {
  command = plan
  variables {
    signing_keys = { initial = { state = "retiring" }, next = { state = "pending" } }
  }
  expect_failures = [var.signing_keys]
}

run "reject_two_active_signing_keys" {
  command = plan
  variables {
    signing_keys = { initial = { state = "active" }, next = { state = "active" } }
  }
  expect_failures = [var.signing_keys]
}

run "reject_two_pending_signing_keys" {
  command = plan
  variables {
    signing_keys = { initial = { state = "active" }, a = { state = "pending" }, b = { state = "pending" } }
  }
  expect_failures = [var.signing_keys]
}

run "reject_five_signing_keys" {
  command = plan
  variables {
    signing_keys = {
      a = { state = "active" }, b = { state = "retiring" }, c = { state = "retiring" }, d = { state = "retiring" }, e = { state = "retiring" }
    }
  }
  expect_failures = [var.signing_keys]
}

run "reject_unknown_signing_key_state" {
  command = plan
  variables {
    signing_keys = { initial = { state = "active" }, old = { state = "revoked" } }
  }
  expect_failures = [var.signing_keys]
}

run "reject_signing_key_name_unfit_for_an_alias" {
  command = plan
  variables {
    signing_keys = { "Key One" = { state = "active" } }
  }
  expect_failures = [var.signing_keys]
}

run "reject_signing_key_time_with_an_offset" {
  command = plan
  variables {
    signing_keys = { initial = { state = "active", since = "2026-05-22T12:00:00+02:00" } }
  }
  expect_failures = [var.signing_keys]
}
