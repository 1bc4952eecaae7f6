variable "function_name" {
  description = "Name of the function; also names its role and its log group /aws/lambda/<name>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be 1 to 64 characters of A-Z a-z 0-9 _ -."
  }
}

variable "description" {
  description = "Description of the function."
  type        = string
  default     = ""
}

variable "filename" {
  description = "Path of the deployment package, built outside Terraform (make build writes build/lambda.zip)."
  type        = string

  validation {
    condition     = endswith(var.filename, ".zip")
    error_message = "filename must be a .zip file."
  }
}

variable "handler" {
  description = "Entry point: <file without extension>.<export>."
  type        = string
  default     = "index.handler"
}

variable "runtime" {
  description = "Lambda runtime: a Node.js runtime Lambda still lets functions be created and updated with (nodejs22.x is deprecated on 2027-04-30)."
  type        = string
  default     = "nodejs22.x"

  validation {
    condition     = contains(["nodejs22.x", "nodejs24.x"], var.runtime)
    error_message = "runtime must be nodejs22.x or nodejs24.x (nodejs20.x can no longer be created or updated)."
  }
}

variable "architecture" {
  description = "Instruction set: arm64 (Graviton, cheaper per GB-second) or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  description = "Memory in MB; CPU grows with it, and bcrypt is CPU-bound."
  type        = number
  default     = 1024

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "timeout" {
  description = "Maximum run time of one invocation, in seconds."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds from 1 to 900."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing of the function: PassThrough (no traces of its own, the default) or Active (Lambda samples invocations and sends their traces; billed per trace, and the role gets the two X-Ray write actions)."
  type        = string
  default     = "PassThrough"

  validation {
    condition     = contains(["PassThrough", "Active"], var.tracing_mode)
    error_message = "tracing_mode must be PassThrough or Active."
  }
}

variable "environment_variables" {
  description = "Environment of the function. Never secrets: names that look like one are refused, and so are AWS_* (reserved by Lambda)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.environment_variables) : !can(regex("(?i)(secret|passw|private|token|credential|api_?key|access_?key)", name))])
    error_message = "environment_variables must not hold secrets (no name containing SECRET, PASSWORD, PRIVATE, TOKEN, CREDENTIAL, API_KEY or ACCESS_KEY)."
  }

  validation {
    condition     = alltrue([for name in keys(var.environment_variables) : can(regex("^[A-Za-z][A-Za-z0-9_]*$", name)) && !startswith(upper(name), "AWS_")])
    error_message = "environment variable names must be letters, digits and _, and must not start with AWS_ (reserved by Lambda)."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's log group, in days; modules/log_group checks it is a value CloudWatch Logs accepts (never 0)."
  type        = number
  default     = 30
}

variable "dynamodb_table_arn" {
  description = "ARN of the one table the function may use."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]+$", var.dynamodb_table_arn))
    error_message = "dynamodb_table_arn must be the ARN of one table (no wildcard)."
  }
}

variable "dynamodb_actions" {
  description = "The DynamoDB actions the code sends; keep in step with lambda/src/data."
  type        = list(string)
  default     = ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]

  validation {
    condition     = length(var.dynamodb_actions) > 0 && alltrue([for action in var.dynamodb_actions : can(regex("^dynamodb:[A-Za-z]+$", action))])
    error_message = "dynamodb_actions must name dynamodb: actions explicitly, without wildcards."
  }
}

variable "dynamodb_index_arns" {
  description = "ARNs of the table's indexes the function queries and scans (it lists and finds users through one)."
  type        = list(string)

  validation {
    condition     = length(var.dynamodb_index_arns) > 0 && alltrue([for arn in var.dynamodb_index_arns : can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]+/index/[A-Za-z0-9_.-]+$", arn))])
    error_message = "dynamodb_index_arns must name at least one index of one table, each by its full ARN (no wildcard)."
  }
}

variable "dynamodb_index_actions" {
  description = "The DynamoDB actions the code sends to an index; keep in step with lambda/src/data."
  type        = list(string)
  default     = ["dynamodb:Query", "dynamodb:Scan"]

  validation {
    condition     = length(var.dynamodb_index_actions) > 0 && alltrue([for action in var.dynamodb_index_actions : contains(["dynamodb:Query", "dynamodb:Scan"], action)])
    error_message = "dynamodb_index_actions may only hold dynamodb:Query and dynamodb:Scan (the only actions an index takes)."
  }
}

variable "kms_key_arns" {
  description = "ARNs of the keys the function may sign access tokens with: every key of the signing key set."
  type        = list(string)

  validation {
    condition     = length(var.kms_key_arns) > 0 && alltrue([for arn in var.kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", arn))])
    error_message = "kms_key_arns must be one or more ARNs of KMS keys (not aliases, no wildcards)."
  }
}

variable "kms_actions" {
  description = "What the function may do with the signing keys: sign (their public halves come as configuration)."
  type        = list(string)
  default     = ["kms:Sign"]

  validation {
    condition     = length(var.kms_actions) > 0 && alltrue([for action in var.kms_actions : contains(["kms:Sign", "kms:GetPublicKey", "kms:DescribeKey"], action)])
    error_message = "kms_actions may only hold kms:Sign, kms:GetPublicKey and kms:DescribeKey."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
