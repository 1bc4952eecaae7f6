mock_provider "aws" {}

variables {
  alias = "auth-api-token-signing"
}

run "rsa_2048_sign_verify_key_with_alias" {
  command = plan

  assert {
    condition     = aws_kms_key.this.customer_master_key_spec == "RSA_2048" && aws_kms_key.this.key_usage == "SIGN_VERIFY"
    error_message = "the key must be RSA_2048 SIGN_VERIFY"
  }
  assert {
    condition     = aws_kms_key.this.enable_key_rotation == false
    error_message = "KMS cannot rotate asymmetric keys; rotation must stay off"
  }
  assert {
    condition     = aws_kms_key.this.deletion_window_in_days == 30 && aws_kms_alias.this.name == "alias/auth-api-token-signing"
    error_message = "deletion window or alias wrong"
  }
}

run "reject_alias_with_prefix" {
  command = plan
  variables {
    alias = "alias/auth"
  }
  expect_failures = [var.alias]
}

run "reject_reserved_alias" {
  command = plan
  variables {
    alias = "aws/auth"
  }
  expect_failures = [var.alias]
}

run "reject_non_rsa_key" {
  command = plan
  variables {
    key_spec = "ECC_NIST_P256"
  }
  expect_failures = [var.key_spec]
}

run "reject_short_deletion_window" {
  command = plan
  variables {
    deletion_window_in_days = 6
  }
  expect_failures = [var.deletion_window_in_days]
}
