data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.function_name
  description        = "Execution role of the ${var.function_name} Lambda function"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json
  tags               = var.tags
}

# Least privilege: the DynamoDB actions the code sends, on this table and its named indexes only; signing
# with these keys only; writing to this function's own log group only. No wildcard action, no wildcard resource.
data "aws_iam_policy_document" "permissions" {
  statement {
    sid       = "Table"
    actions   = var.dynamodb_actions
    resources = [var.dynamodb_table_arn]
  }

  statement {
    sid       = "TableIndexes"
    actions   = var.dynamodb_index_actions
    resources = var.dynamodb_index_arns
  }

  statement {
    sid       = "SigningKey"
    actions   = var.kms_actions
    resources = var.kms_key_arns
  }

  statement {
    sid       = "OwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${module.log_group.cloudwatch_log_group_arn}:*"]
  }

  # Active tracing only: Lambda sends the traces with the function's role. X-Ray's PutTraceSegments and
  # PutTelemetryRecords have no resource-level permissions, so this is the one statement on "*".
  # https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
  # https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
  dynamic "statement" {
    for_each = var.tracing_mode == "Active" ? [1] : []
    content {
      sid       = "XRayTraces"
      actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.function_name}-least-privilege"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.permissions.json
}

# Created before the function, so Lambda never creates it without retention.
module "log_group" {
  source = "../log_group"

  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# The log group was a resource of this module until it moved into modules/log_group: an existing stack's
# log group (and its logs) is moved in the state, not destroyed and created again.
moved {
  from = aws_cloudwatch_log_group.this
  to   = module.log_group.aws_cloudwatch_log_group.this
}

resource "aws_lambda_function" "this" {
  function_name    = var.function_name
  description      = var.description
  role             = aws_iam_role.this.arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = var.handler
  filename         = var.filename
  source_code_hash = filebase64sha256(var.filename)
  memory_size      = var.memory_size
  timeout          = var.timeout

  environment {
    variables = var.environment_variables
  }

  logging_config {
    log_format = "Text" # the function already writes one JSON object per line
    log_group  = module.log_group.cloudwatch_log_group_name
  }

  tracing_config {
    mode = var.tracing_mode
  }

  tags = var.tags

  # The role must be able to write logs before the first invocation.
  depends_on = [aws_iam_role_policy.this]
}
