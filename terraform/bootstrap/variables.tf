variable "github_repository" {
  description = "The GitHub repository whose workflows may assume the roles, as owner/name (e.g. acme/auth-api)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be owner/name, e.g. acme/auth-api."
  }
}

variable "aws_region" {
  description = "Region of the state bucket and of the stack the roles manage; null uses the region of your AWS profile or AWS_REGION."
  type        = string
  default     = null

  validation {
    condition     = var.aws_region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region name such as eu-west-1."
  }
}

variable "stack_name" {
  description = "name of the stack the apply role manages (the root module's var.name, TF_VAR_name): its resources are named after it."
  type        = string
  default     = "auth-api"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,39}$", var.stack_name))
    error_message = "stack_name must be 3 to 40 characters of a-z 0-9 -, starting with a letter (as the stack's name)."
  }
}

variable "state_bucket_name" {
  description = "Name of the S3 bucket for Terraform state; null names it <stack_name>-tfstate-<account id>-<region>."
  type        = string
  default     = null

  validation {
    condition     = var.state_bucket_name == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be 3 to 63 characters of a-z 0-9 -, starting and ending with a letter or digit."
  }
}

variable "state_key" {
  description = "Key of the stack's state object in the bucket (the workflow's TF_STATE_KEY); its lock file is <key>.tflock."
  type        = string
  default     = "auth-api/terraform.tfstate"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()/-]+$", var.state_key)) && !startswith(var.state_key, "/") && !endswith(var.state_key, "/") && !strcontains(var.state_key, "*")
    error_message = "state_key must be an object key such as auth-api/terraform.tfstate: no leading or trailing /, no *."
  }
}

variable "existing_oidc_provider_arn" {
  description = "ARN of the account's GitHub Actions OIDC provider (token.actions.githubusercontent.com) if it already has one; null creates it. An account can hold only one per URL."
  type        = string
  default     = null

  validation {
    condition     = var.existing_oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.existing_oidc_provider_arn))
    error_message = "existing_oidc_provider_arn must be null or the ARN of an IAM OIDC provider for token.actions.githubusercontent.com."
  }
}

variable "production_environment" {
  description = "The GitHub environment the apply job runs in; only its jobs may assume the apply role."
  type        = string
  default     = "production"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,255}$", var.production_environment))
    error_message = "production_environment must be a GitHub environment name of letters, digits, . _ and -."
  }
}

variable "tags" {
  description = "Tags on every resource (provider default_tags)."
  type        = map(string)
  default = {
    Project   = "serverless-auth-api"
    ManagedBy = "terraform"
  }
}
