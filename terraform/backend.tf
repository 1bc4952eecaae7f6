# State in S3, locked with a lock file next to it (use_lockfile). The settings come from a file you supply:
#   terraform init -backend-config=backend.hcl      (see backend.hcl.example; make deploy does this)
# Without terraform/backend.hcl, make plan/deploy write a git-ignored backend_override.tf that keeps the
# state in terraform/terraform.tfstate instead: fine for a first try, not for a team.
terraform {
  backend "s3" {}
}
