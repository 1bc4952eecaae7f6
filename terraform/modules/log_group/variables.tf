variable "name" {
  description = "Name of the log group, e.g. /aws/lambda/<function name>."
  type        = string
}

variable "retention_in_days" {
  description = "Days CloudWatch Logs keeps the events: one of the values it accepts, never 0 (0 keeps them forever)."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.retention_in_days)
    error_message = "log retention must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days (never 0, which keeps logs forever)."
  }
}

variable "tags" {
  description = "Tags for the log group."
  type        = map(string)
  default     = {}
}
