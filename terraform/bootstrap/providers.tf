provider "aws" {
  # null: the region of your AWS profile or AWS_REGION.
  region = var.aws_region

  default_tags {
    tags = var.tags
  }
}
