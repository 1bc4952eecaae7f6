mock_provider "aws" {
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/auth-api-data" }
  }
}

variables {
  name          = "auth-api-data"
  partition_key = { name = "pk", type = "S" }
  ttl_attribute = "expiresAt"
}

run "on_demand_table_with_recovery_encryption_and_protection" {
  command = plan

  assert {
    condition     = aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST"
    error_message = "the table must bill per request"
  }
  assert {
    condition     = aws_dynamodb_table.this.hash_key == "pk" && aws_dynamodb_table.this.range_key == null
    error_message = "key schema wrong"
  }
  assert {
    condition     = aws_dynamodb_table.this.attribute == toset([{ name = "pk", type = "S" }])
    error_message = "only key attributes are declared"
  }
  assert {
    condition     = aws_dynamodb_table.this.ttl[0].attribute_name == "expiresAt" && aws_dynamodb_table.this.ttl[0].enabled
    error_message = "TTL must be on expiresAt"
  }
  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled && aws_dynamodb_table.this.server_side_encryption[0].enabled
    error_message = "point-in-time recovery and KMS encryption must be on"
  }
  assert {
    condition     = aws_dynamodb_table.this.deletion_protection_enabled
    error_message = "deletion protection must be on by default"
  }
}

run "sort_key_and_no_ttl" {
  command = plan
  variables {
    sort_key      = { name = "sk", type = "N" }
    ttl_attribute = null
  }
  assert {
    condition     = aws_dynamodb_table.this.range_key == "sk" && length(aws_dynamodb_table.this.attribute) == 2 && length(aws_dynamodb_table.this.ttl) == 0
    error_message = "sort key or TTL handling wrong"
  }
}

run "index_declares_its_key_and_projects_what_it_is_given" {
  command = apply # mocked: nothing is created
  variables {
    global_secondary_indexes = [{
      name               = "users-by-id"
      partition_key      = { name = "id", type = "S" }
      projection_type    = "INCLUDE"
      non_key_attributes = ["username", "roles"]
    }]
  }
  assert {
    condition     = aws_dynamodb_table.this.hash_key == "pk" && aws_dynamodb_table.this.attribute == toset([{ name = "pk", type = "S" }, { name = "id", type = "S" }])
    error_message = "the index's key attribute must be declared next to the table's, which stays its hash key"
  }
  assert {
    condition     = [for index in aws_dynamodb_table.this.global_secondary_index : "${index.name} ${index.hash_key} ${index.projection_type} ${join(",", sort(index.non_key_attributes))}"] == ["users-by-id id INCLUDE roles,username"]
    error_message = "the index must be created as given"
  }
  assert {
    condition     = output.dynamodb_index_arns == ["arn:aws:dynamodb:eu-west-1:123456789012:table/auth-api-data/index/users-by-id"]
    error_message = "index ARNs are the table's ARN with /index/<name>"
  }
}

run "reject_index_with_bad_key_type" {
  command = plan
  variables {
    global_secondary_indexes = [{ name = "by-id", partition_key = { name = "id", type = "STRING" }, projection_type = "KEYS_ONLY" }]
  }
  expect_failures = [var.global_secondary_indexes]
}

run "reject_include_without_attributes" {
  command = plan
  variables {
    global_secondary_indexes = [{ name = "by-id", partition_key = { name = "id", type = "S" }, projection_type = "INCLUDE" }]
  }
  expect_failures = [var.global_secondary_indexes]
}

run "reject_duplicate_index_names" {
  command = plan
  variables {
    global_secondary_indexes = [
      { name = "by-id", partition_key = { name = "id", type = "S" }, projection_type = "KEYS_ONLY" },
      { name = "by-id", partition_key = { name = "other", type = "S" }, projection_type = "ALL" },
    ]
  }
  expect_failures = [var.global_secondary_indexes]
}

run "reject_bad_name" {
  command = plan
  variables {
    name = "a b"
  }
  expect_failures = [var.name]
}

run "reject_bad_partition_key_type" {
  command = plan
  variables {
    partition_key = { name = "pk", type = "STRING" }
  }
  expect_failures = [var.partition_key]
}

run "reject_bad_sort_key" {
  command = plan
  variables {
    sort_key = { name = "", type = "S" }
  }
  expect_failures = [var.sort_key]
}

run "reject_empty_ttl_attribute" {
  command = plan
  variables {
    ttl_attribute = ""
  }
  expect_failures = [var.ttl_attribute]
}

run "reject_bad_kms_key" {
  command = plan
  variables {
    kms_key_arn = "alias/aws/dynamodb"
  }
  expect_failures = [var.kms_key_arn]
}
