output "key_arn" {
  description = "ARN of the signing key: the Lambda's KMS_KEY_ID and the resource of its kms:Sign permission."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "Id of the signing key."
  value       = aws_kms_key.this.key_id
}

output "alias_name" {
  description = "Alias of the signing key, alias/ prefix included."
  value       = aws_kms_alias.this.name
}

output "public_key_pem" {
  description = "The key's public half, PEM (SPKI): the Lambda's SIGNING_PUBLIC_KEY and what the JWKS publishes."
  value       = data.aws_kms_public_key.this.public_key_pem
}

output "public_key" {
  description = "The key's public half, base64 DER (SPKI), as KMS returns it: the compact form for the function's OTHER_PUBLIC_KEYS."
  value       = data.aws_kms_public_key.this.public_key
}
