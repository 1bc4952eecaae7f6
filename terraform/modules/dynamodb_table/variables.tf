variable "name" {
  description = "Name of the table."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "name must be 3 to 255 characters of A-Z a-z 0-9 _ . -."
  }
}

variable "partition_key" {
  description = "The partition (hash) key: its attribute name and type (S, N or B)."
  type = object({
    name = string
    type = string
  })

  validation {
    condition     = contains(["S", "N", "B"], var.partition_key.type) && length(var.partition_key.name) > 0
    error_message = "partition_key needs a name and a type of S, N or B."
  }
}

variable "sort_key" {
  description = "The sort (range) key, or null for a table with a partition key only."
  type = object({
    name = string
    type = string
  })
  default = null

  validation {
    condition     = var.sort_key == null || try(contains(["S", "N", "B"], var.sort_key.type) && length(var.sort_key.name) > 0, false)
    error_message = "sort_key needs a name and a type of S, N or B."
  }
}

variable "global_secondary_indexes" {
  description = "Global secondary indexes, each with a partition key and a projection: ALL, KEYS_ONLY, or INCLUDE with the non_key_attributes to copy."
  type = list(object({
    name               = string
    partition_key      = object({ name = string, type = string })
    projection_type    = string
    non_key_attributes = optional(list(string), [])
  }))
  default = []

  validation {
    condition     = alltrue([for index in var.global_secondary_indexes : can(regex("^[A-Za-z0-9_.-]{3,255}$", index.name)) && contains(["S", "N", "B"], index.partition_key.type) && length(index.partition_key.name) > 0])
    error_message = "every index needs a name of 3 to 255 characters of A-Z a-z 0-9 _ . - and a partition key with a type of S, N or B."
  }

  validation {
    condition     = alltrue([for index in var.global_secondary_indexes : contains(["ALL", "KEYS_ONLY", "INCLUDE"], index.projection_type) && (index.projection_type == "INCLUDE") == (length(index.non_key_attributes) > 0)])
    error_message = "projection_type must be ALL, KEYS_ONLY or INCLUDE, and non_key_attributes are given with INCLUDE only (and then at least one)."
  }

  validation {
    condition     = length(distinct([for index in var.global_secondary_indexes : index.name])) == length(var.global_secondary_indexes)
    error_message = "index names must be unique."
  }
}

variable "ttl_attribute" {
  description = "Attribute holding each item's expiry time in epoch seconds; null turns TTL off."
  type        = string
  default     = null

  validation {
    condition     = var.ttl_attribute == null || try(length(var.ttl_attribute) > 0, false)
    error_message = "ttl_attribute must be null or a non-empty attribute name."
  }
}

variable "deletion_protection_enabled" {
  description = "Refuse DeleteTable (and terraform destroy) until this is set to false. Keep it on for real data."
  type        = bool
  default     = true
}

variable "point_in_time_recovery_enabled" {
  description = "Continuous backups, restorable to any second of the last 35 days."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "A customer managed KMS key for encryption at rest; null uses the AWS managed key aws/dynamodb."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}

variable "tags" {
  description = "Tags for the table."
  type        = map(string)
  default     = {}
}
