data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  topic_name = "${var.name}-alarms"
  # Built from names rather than read from the resources, so the key policy (which the topic needs first)
  # and the dashboard (known at plan time) can name them. The formats are the Service Authorization
  # Reference's: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html and
  # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
  topic_arn         = "arn:${local.partition}:sns:${local.region}:${local.account}:${local.topic_name}"
  alarm_arn_prefix  = "arn:${local.partition}:cloudwatch:${local.region}:${local.account}:alarm:${var.name}-"
  function          = var.function_metrics.namespace
  lambda_dimensions = { FunctionName = var.lambda_function_name }
  api_dimensions    = { ApiId = var.api_id }
}

# --- The topic every alarm notifies, encrypted with a key of its own ---------------------------------------

# A customer managed key, not the AWS managed alias/aws/sns: CloudWatch publishes to an encrypted topic only
# if the key's policy lets cloudwatch.amazonaws.com use it, and the policy of an AWS managed key cannot be
# changed, so alarms on a topic encrypted with alias/aws/sns fail to notify, silently.
# https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
# https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
data "aws_iam_policy_document" "topic_key" {
  # The account administers the key through IAM, each action named (kms:PutKeyPolicy among them, so the
  # policy can always be changed again); the key policy's Resource "*" means this key.
  statement {
    sid = "AccountAdministersTheKey"
    actions = [
      "kms:CancelKeyDeletion",
      "kms:CreateAlias",
      "kms:DeleteAlias",
      "kms:DescribeKey",
      "kms:DisableKey",
      "kms:DisableKeyRotation",
      "kms:EnableKey",
      "kms:EnableKeyRotation",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListResourceTags",
      "kms:PutKeyPolicy",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateAlias",
      "kms:UpdateKeyDescription",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account}:root"]
    }
  }

  # What a publisher needs for an encrypted topic, for people of the account whose IAM policies allow it
  # (to send a test message with `aws sns publish`), on this topic only.
  statement {
    sid       = "AccountPublishesToTheTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account}:root"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:sns:topicArn"
      values   = [local.topic_arn]
    }
  }

  # CloudWatch, for this stack's alarms only, on this topic only. SNS's guide grants kms:GenerateDataKey*;
  # a publisher's calls are GenerateDataKey and Decrypt, which is all this names.
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["${local.alarm_arn_prefix}*"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:sns:topicArn"
      values   = [local.topic_arn]
    }
  }
}

resource "aws_kms_key" "topic" {
  description             = "Encrypts the alarm topic of ${var.name}"
  key_usage               = "ENCRYPT_DECRYPT"
  deletion_window_in_days = var.topic_key_deletion_window_days
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.topic_key.json
  tags                    = var.tags
}

resource "aws_kms_alias" "topic" {
  name          = "alias/${local.topic_name}"
  target_key_id = aws_kms_key.topic.key_id
}

# The default topic policy lets principals of this account publish, CloudWatch alarms of the account
# among them; no other account can.
resource "aws_sns_topic" "alarms" {
  name              = local.topic_name
  display_name      = "${var.name} alarms"
  kms_master_key_id = aws_kms_key.topic.arn
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}
