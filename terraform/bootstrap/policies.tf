# What each role may do. Every action is named (no wildcard action), and scoped to the stack's own resources
# wherever the service allows it. test/terraform/bootstrap-policy.test.ts checks both documents against a
# table of the actions each resource type of the stack needs (test/terraform/resource-actions.ts, with its
# sources: AWS's Service Authorization Reference and the provider's documentation).

# --- Reading the stack: what terraform plan refreshes. Both roles need it. ---------------------------------

locals {
  # Metadata and configuration only: no item, object, log or secret data is read by any of these.
  read_statements = {
    ApiGatewayRead = {
      actions   = ["apigateway:GET"]
      resources = local.stack.apigateway_arns
    }
    FunctionRead = {
      actions   = ["lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:GetPolicy", "lambda:ListTags", "lambda:ListVersionsByFunction"]
      resources = [local.stack.function_arn]
    }
    FunctionRoleRead = {
      actions   = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies"]
      resources = [local.stack.role_arn]
    }
    TableRead = {
      actions   = ["dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:ListTagsOfResource"]
      resources = [local.stack.table_arn]
    }
    # GetPublicKey: the key's public half, which the stack passes to the function (data "aws_kms_public_key").
    SigningKeyRead = {
      actions   = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:GetPublicKey", "kms:ListResourceTags"]
      resources = [local.stack.keys_arn]
    }
    # ListAliases supports no resource-level permission.
    AliasList = {
      actions   = ["kms:ListAliases"]
      resources = ["*"]
    }
    LogGroupList = {
      actions   = ["logs:DescribeLogGroups"]
      resources = ["arn:${local.partition}:logs:${local.region}:${local.account}:log-group:*"]
    }
    LogGroupTags = {
      actions   = ["logs:ListTagsForResource", "logs:ListTagsLogGroup"]
      resources = local.stack.log_group_arns
    }
    AlarmsRead = {
      actions   = ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"]
      resources = [local.stack.alarms_arn]
    }
    DashboardRead = {
      actions   = ["cloudwatch:GetDashboard"]
      resources = [local.stack.dashboard_arn]
    }
    AlarmTopicRead = {
      actions   = ["sns:GetTopicAttributes", "sns:ListTagsForResource"]
      resources = [local.stack.topic_arn]
    }
    # A subscription's attributes (its endpoint and state, never a message) support no resource-level permission.
    AlarmSubscriptionRead = {
      actions   = ["sns:GetSubscriptionAttributes"]
      resources = ["*"]
    }
  }
}

# --- The plan role: pull requests (the code of any collaborator's branch runs with it) ---------------------

data "aws_iam_policy_document" "plan" {
  # The state object itself and nothing else of the bucket: -lock=false, so not even the lock file.
  # https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required
  statement {
    sid       = "StateList"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]
  }
  statement {
    sid       = "StateRead"
    actions   = ["s3:GetObject"]
    resources = [local.state_object_arn]
  }

  dynamic "statement" {
    for_each = local.read_statements
    content {
      sid       = statement.key
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

# --- The apply role: pushes to main, in the production environment -----------------------------------------

data "aws_iam_policy_document" "apply" {
  statement {
    sid       = "StateList"
    actions   = ["s3:ListBucket"]
    resources = [local.state_bucket_arn]
  }
  statement {
    sid       = "StateReadWrite"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = [local.state_object_arn]
  }
  # use_lockfile: <key>.tflock is created, read and deleted around every locked operation.
  statement {
    sid       = "StateLock"
    actions   = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    resources = [local.lock_object_arn]
  }

  dynamic "statement" {
    for_each = local.read_statements
    content {
      sid       = statement.key
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }

  # API Gateway v2 authorises by HTTP verb on the resource path: POST creates (and tags), PATCH updates,
  # DELETE deletes (and untags).
  statement {
    sid       = "ApiGatewayWrite"
    actions   = ["apigateway:DELETE", "apigateway:PATCH", "apigateway:POST"]
    resources = local.stack.apigateway_arns
  }

  # Enabling HTTP API access logs: API Gateway's documented requirement, on * (the log delivery APIs have
  # no resource-level permissions, and CloudWatch Logs asks for * on its account resource policy).
  # https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
  # https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
  statement {
    sid = "AccessLogDelivery"
    actions = [
      "logs:CreateLogDelivery",
      "logs:CreateLogGroup",
      "logs:DeleteLogDelivery",
      "logs:DescribeResourcePolicies",
      "logs:GetLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:UpdateLogDelivery",
    ]
    resources = ["*"]
  }

  # The stack's own two log groups (and the access log group's name before /aws/vendedlogs/). The reads of
  # log streams and events are in API Gateway's list for enabling logging, so they are granted, here only.
  statement {
    sid = "LogGroups"
    actions = [
      "logs:CreateLogGroup",
      "logs:DeleteLogGroup",
      "logs:DeleteRetentionPolicy",
      "logs:DescribeLogStreams",
      "logs:FilterLogEvents",
      "logs:GetLogEvents",
      "logs:PutRetentionPolicy",
      "logs:TagResource",
      "logs:UntagResource",
    ]
    resources = concat(local.stack.log_group_arns, [for arn in local.stack.log_group_arns : "${arn}:*"])
  }

  statement {
    sid = "Function"
    actions = [
      "lambda:AddPermission",
      "lambda:CreateFunction",
      "lambda:DeleteFunction",
      "lambda:RemovePermission",
      "lambda:TagResource",
      "lambda:UntagResource",
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
    ]
    resources = [local.stack.function_arn]
  }

  # The function's execution role, and no other role: never the roles made here.
  statement {
    sid = "FunctionRole"
    actions = [
      "iam:CreateRole",
      "iam:DeleteRole",
      "iam:DeleteRolePolicy",
      "iam:ListInstanceProfilesForRole",
      "iam:PutRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
      "iam:UpdateRoleDescription",
    ]
    resources = [local.stack.role_arn]
  }

  # Handing the function its role: that role only, and only to Lambda.
  statement {
    sid       = "PassFunctionRole"
    actions   = ["iam:PassRole"]
    resources = [local.stack.role_arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["lambda.amazonaws.com"]
    }
  }

  statement {
    sid = "Table"
    actions = [
      "dynamodb:CreateTable",
      "dynamodb:DeleteTable",
      "dynamodb:TagResource",
      "dynamodb:UntagResource",
      "dynamodb:UpdateContinuousBackups",
      "dynamodb:UpdateTable",
      "dynamodb:UpdateTimeToLive",
    ]
    resources = [local.stack.table_arn]
  }

  # CreateKey has no resource; the condition keys keep it to RSA signing keys.
  # https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
  statement {
    sid       = "SigningKeyCreate"
    actions   = ["kms:CreateKey"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "kms:KeyUsage"
      values   = ["SIGN_VERIFY"]
    }
    condition {
      test     = "StringLike"
      variable = "kms:KeySpec"
      values   = ["RSA_*"]
    }
  }

  statement {
    sid = "SigningKey"
    actions = [
      "kms:DisableKey",
      "kms:DisableKeyRotation",
      "kms:EnableKey",
      "kms:EnableKeyRotation",
      "kms:PutKeyPolicy",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateKeyDescription",
    ]
    resources = [local.stack.keys_arn]
  }

  # The alarm topic's key (modules/monitoring): a symmetric encryption key, and nothing else.
  statement {
    sid       = "AlarmTopicKeyCreate"
    actions   = ["kms:CreateKey"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "kms:KeyUsage"
      values   = ["ENCRYPT_DECRYPT"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:KeySpec"
      values   = ["SYMMETRIC_DEFAULT"]
    }
  }

  # An alias operation is authorised on the alias and on the key it points to.
  statement {
    sid       = "KeyAliases"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = concat(local.stack.alias_arns, [local.stack.keys_arn])
  }

  # modules/monitoring: the stack's alarms (tags included) and its dashboard.
  statement {
    sid       = "Alarms"
    actions   = ["cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"]
    resources = [local.stack.alarms_arn]
  }
  statement {
    sid       = "Dashboard"
    actions   = ["cloudwatch:DeleteDashboards", "cloudwatch:PutDashboard"]
    resources = [local.stack.dashboard_arn]
  }

  statement {
    sid       = "AlarmTopic"
    actions   = ["sns:CreateTopic", "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:TagResource", "sns:UntagResource"]
    resources = [local.stack.topic_arn]
  }
  # The email subscription: its own actions support no resource-level permission.
  statement {
    sid       = "AlarmSubscription"
    actions   = ["sns:SetSubscriptionAttributes", "sns:Unsubscribe"]
    resources = ["*"]
  }
}
