resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = var.partition_key.name
  range_key                   = try(var.sort_key.name, null)
  deletion_protection_enabled = var.deletion_protection_enabled

  # Only key attributes are declared; everything else in an item is schemaless.
  dynamic "attribute" {
    for_each = compact([var.partition_key.name, try(var.sort_key.name, "")])
    content {
      name = attribute.value
      type = attribute.value == var.partition_key.name ? var.partition_key.type : var.sort_key.type
    }
  }

  dynamic "ttl" {
    for_each = var.ttl_attribute == null ? [] : [var.ttl_attribute]
    content {
      enabled        = true
      attribute_name = ttl.value
    }
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery_enabled
  }

  # enabled = true means a KMS key: the AWS managed aws/dynamodb key unless kms_key_arn names one.
  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = var.tags
}
