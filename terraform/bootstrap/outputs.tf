# In the form the workflows' repository variables take (Settings → Secrets and variables → Actions).

output "state_bucket" {
  description = "TF_STATE_BUCKET: the S3 bucket holding Terraform state."
  value       = aws_s3_bucket.state.bucket
}

output "state_key" {
  description = "TF_STATE_KEY: the stack's state object in that bucket."
  value       = var.state_key
}

output "aws_region" {
  description = "AWS_REGION: the region of the bucket and the stack."
  value       = local.region
}

output "plan_role_arn" {
  description = "AWS_PLAN_ROLE_ARN: assumed by pull request jobs; reads configuration and the state only."
  value       = aws_iam_role.github["plan"].arn
}

output "apply_role_arn" {
  description = "AWS_APPLY_ROLE_ARN: assumed by the production environment's apply job."
  value       = aws_iam_role.github["apply"].arn
}

output "oidc_provider_arn" {
  description = "The GitHub Actions OIDC identity provider the roles trust."
  value       = local.oidc_provider_arn
}

output "repository_variables" {
  description = "Every repository variable the terraform workflow reads, name => value."
  value = {
    AWS_REGION         = local.region
    AWS_PLAN_ROLE_ARN  = aws_iam_role.github["plan"].arn
    AWS_APPLY_ROLE_ARN = aws_iam_role.github["apply"].arn
    TF_STATE_BUCKET    = aws_s3_bucket.state.bucket
    TF_STATE_KEY       = var.state_key
  }
}

output "backend_config" {
  description = "The stack's terraform/backend.hcl for this bucket."
  value       = <<-HCL
    bucket       = "${aws_s3_bucket.state.bucket}"
    key          = "${var.state_key}"
    region       = "${local.region}"
    encrypt      = true
    use_lockfile = true
  HCL
}
