variable "alias" {
  description = "Alias of the key, without the alias/ prefix."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/") && !startswith(var.alias, "alias/")
    error_message = "alias must be 1 to 250 characters of A-Z a-z 0-9 / _ -, without the alias/ prefix, and not in the reserved aws/ namespace."
  }
}

variable "description" {
  description = "Description of the key."
  type        = string
  default     = "Signs RS256 access tokens"
}

variable "key_spec" {
  description = "RSA key size. The API Gateway JWT authorizer verifies RSA signatures only."
  type        = string
  default     = "RSA_2048"

  validation {
    condition     = contains(["RSA_2048", "RSA_3072", "RSA_4096"], var.key_spec)
    error_message = "key_spec must be RSA_2048, RSA_3072 or RSA_4096."
  }
}

variable "deletion_window_in_days" {
  description = "Days a destroyed key stays pending deletion (and can be recovered) before KMS deletes it: 7 to 30."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "tags" {
  description = "Tags for the key."
  type        = map(string)
  default     = {}
}
