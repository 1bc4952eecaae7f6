# The private key is generated in KMS and never leaves it: not in Terraform state, not in the Lambda.
# No key policy is set, so KMS applies its default policy: the account's IAM policies decide who may use
# the key, and the Lambda's role is granted kms:Sign on this key only.
resource "aws_kms_key" "this" {
  description              = var.description
  customer_master_key_spec = var.key_spec
  key_usage                = "SIGN_VERIFY"
  deletion_window_in_days  = var.deletion_window_in_days
  # Automatic rotation exists only for symmetric encryption keys; KMS refuses it for asymmetric ones.
  enable_key_rotation = false
  tags                = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}

# The public half, read when the key exists (at apply time for a new key, at plan time after that): the
# function gets it as configuration, so serving the JWKS and checking tokens never waits on KMS.
# https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/kms_public_key
data "aws_kms_public_key" "this" {
  key_id = aws_kms_key.this.arn
}
