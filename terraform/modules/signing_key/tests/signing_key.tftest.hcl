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

run "passes_on_the_public_half_of_this_key" {
  command = apply # mocked: nothing is created

  override_resource {
    target = aws_kms_key.this
    values = { arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-4333-8444-555555555555" }
  }
  override_data {
    target = data.aws_kms_public_key.this
    values = { public_key_pem = "-----BEGIN PUBLIC KEY-----\nMOCK\n-----END PUBLIC KEY-----\n", public_key = "TU9DSw==" }
  }

  assert {
    condition     = data.aws_kms_public_key.this.key_id == aws_kms_key.this.arn
    error_message = "the public key must be read from this key"
  }
  assert {
    condition     = output.public_key_pem == "-----BEGIN PUBLIC KEY-----\nMOCK\n-----END PUBLIC KEY-----\n"
    error_message = "public_key_pem must be the key's public half"
  }
  assert {
    condition     = output.public_key == "TU9DSw=="
    error_message = "public_key must be the key's public half, base64 DER"
  }
}
