# This module creates the state bucket, so its own first state is local (make bootstrap writes a git-ignored
# backend_override.tf until terraform/bootstrap/backend.hcl exists); afterwards it can move into that bucket
# under a key of its own (see README.md here).
terraform {
  backend "s3" {}
}
