locals {
  # Every key attribute of the table and its indexes, by name; an index may share one with the table.
  key_attributes = merge(
    { for index in var.global_secondary_indexes : index.partition_key.name => index.partition_key.type },
    var.sort_key == null ? {} : { (var.sort_key.name) = var.sort_key.type },
    { (var.partition_key.name) = var.partition_key.type },
  )
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = var.partition_key.name
  range_key                   = try(var.sort_key.name, null)
  deletion_protection_enabled = var.deletion_protection_enabled

  # Only key attributes (of the table and its indexes) are declared; everything else in an item is schemaless.
  dynamic "attribute" {
    for_each = local.key_attributes
    content {
      name = attribute.key
      type = attribute.value
    }
  }

  # Adding an index updates the table in place (DynamoDB builds it in the background); it never replaces it.
  dynamic "global_secondary_index" {
    for_each = var.global_secondary_indexes
    content {
      name               = global_secondary_index.value.name
      hash_key           = global_secondary_index.value.partition_key.name
      projection_type    = global_secondary_index.value.projection_type
      non_key_attributes = global_secondary_index.value.projection_type == "INCLUDE" ? global_secondary_index.value.non_key_attributes : null
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
