terraform {
  # 1.11: the S3 backend's own lock file (use_lockfile) without the experimental flag it had in 1.10.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}
