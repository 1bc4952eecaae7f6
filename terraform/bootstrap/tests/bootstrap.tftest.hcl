# The bootstrap with a mocked provider: the wiring and every validation. The policies themselves are checked
# against an offline plan by test/terraform/bootstrap-policy.test.ts.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  github_repository = "acme/auth-api"
}

run "creates_the_provider_bucket_and_roles" {
  command = plan

  assert {
    condition     = aws_s3_bucket.state.bucket == "auth-api-tfstate-123456789012-eu-west-1"
    error_message = "the bucket name defaults to <stack_name>-tfstate-<account>-<region>"
  }
  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1 && local.oidc_provider_arn == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    error_message = "without existing_oidc_provider_arn the provider is created and trusted"
  }
  assert {
    condition     = aws_iam_role.github["plan"].name == "auth-api-github-plan" && aws_iam_role.github["apply"].name == "auth-api-github-apply"
    error_message = "role names"
  }
  assert {
    condition     = local.lock_object_arn == "arn:aws:s3:::auth-api-tfstate-123456789012-eu-west-1/auth-api/terraform.tfstate.tflock"
    error_message = "the lock file is <key>.tflock"
  }
}

run "uses_an_existing_provider" {
  command = plan
  variables {
    existing_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    state_bucket_name          = "my-state"
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0 && local.oidc_provider_arn == var.existing_oidc_provider_arn
    error_message = "an existing provider is trusted, not created again"
  }
  assert {
    condition     = aws_s3_bucket.state.bucket == "my-state"
    error_message = "state_bucket_name names the bucket"
  }
}

run "reject_repository_without_owner" {
  command = plan
  variables {
    github_repository = "auth-api"
  }
  expect_failures = [var.github_repository]
}

run "reject_bad_region" {
  command = plan
  variables {
    aws_region = "europe"
  }
  expect_failures = [var.aws_region]
}

run "reject_bad_stack_name" {
  command = plan
  variables {
    stack_name = "Auth_API"
  }
  expect_failures = [var.stack_name]
}

run "reject_bad_bucket_name" {
  command = plan
  variables {
    state_bucket_name = "My_Bucket"
  }
  expect_failures = [var.state_bucket_name]
}

run "reject_state_key_with_wildcard" {
  command = plan
  variables {
    state_key = "auth-api/*"
  }
  expect_failures = [var.state_key]
}

run "reject_other_oidc_provider" {
  command = plan
  variables {
    existing_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/example.com"
  }
  expect_failures = [var.existing_oidc_provider_arn]
}

run "reject_bad_environment_name" {
  command = plan
  variables {
    production_environment = "prod env"
  }
  expect_failures = [var.production_environment]
}
