data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  github_oidc_host  = "token.actions.githubusercontent.com"
  oidc_provider_arn = coalesce(var.existing_oidc_provider_arn, "arn:${local.partition}:iam::${local.account}:oidc-provider/${local.github_oidc_host}")

  state_bucket     = coalesce(var.state_bucket_name, "${var.stack_name}-tfstate-${local.account}-${local.region}")
  state_bucket_arn = "arn:${local.partition}:s3:::${local.state_bucket}"
  state_object_arn = "${local.state_bucket_arn}/${var.state_key}"
  lock_object_arn  = "${local.state_bucket_arn}/${var.state_key}.tflock"

  # What the stack names its resources (terraform/main.tf and its modules), so both roles are scoped to them.
  stack = {
    function_arn = "arn:${local.partition}:lambda:${local.region}:${local.account}:function:${var.stack_name}"
    role_arn     = "arn:${local.partition}:iam::${local.account}:role/${var.stack_name}"
    table_arn    = "arn:${local.partition}:dynamodb:${local.region}:${local.account}:table/${var.stack_name}-data"
    # KMS key ids are chosen by KMS; the aliases are ours: one per key of the signing key set
    # (<stack>-token-signing-<key name>, and <stack>-token-signing from before key sets, which the move
    # deletes) and the alarm topic's key's.
    keys_arn = "arn:${local.partition}:kms:${local.region}:${local.account}:key/*"
    alias_arns = [for alias in ["token-signing*", "alarms"] :
      "arn:${local.partition}:kms:${local.region}:${local.account}:alias/${var.stack_name}-${alias}"
    ]
    # modules/monitoring: every alarm is <name>-<alarm>, the dashboard <name>, the topic <name>-alarms.
    alarms_arn    = "arn:${local.partition}:cloudwatch:${local.region}:${local.account}:alarm:${var.stack_name}-*"
    dashboard_arn = "arn:${local.partition}:cloudwatch::${local.account}:dashboard/${var.stack_name}"
    topic_arn     = "arn:${local.partition}:sns:${local.region}:${local.account}:${var.stack_name}-alarms"
    log_group_arns = [for name in [
      "/aws/lambda/${var.stack_name}",
      "/aws/vendedlogs/apigateway/${var.stack_name}/access",
      # The access log group's name before it moved under /aws/vendedlogs/: the apply that moves it deletes it.
      "/aws/apigateway/${var.stack_name}/access",
    ] : "arn:${local.partition}:logs:${local.region}:${local.account}:log-group:${name}"]
    # API Gateway names HTTP APIs by an id it chooses: every API of the region, and their tags.
    apigateway_arns = [
      "arn:${local.partition}:apigateway:${local.region}::/apis",
      "arn:${local.partition}:apigateway:${local.region}::/apis/*",
      "arn:${local.partition}:apigateway:${local.region}::/tags/*",
    ]
  }
}

# --- The state bucket --------------------------------------------------------------------------------------

resource "aws_s3_bucket" "state" {
  bucket = local.state_bucket

  # Terraform state of every stack in this account: never destroyed by a plan.
  lifecycle {
    prevent_destroy = true
  }
}

# Every write keeps the previous version: a broken or lost state can be restored.
resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket = aws_s3_bucket.state.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs off: access is decided by IAM and the bucket policy alone.
resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

data "aws_iam_policy_document" "state_bucket" {
  statement {
    sid     = "DenyWithoutTLS"
    effect  = "Deny"
    actions = ["s3:*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    resources = [local.state_bucket_arn, "${local.state_bucket_arn}/*"]

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state_bucket.json

  # The public access block must be in place before a policy is attached.
  depends_on = [aws_s3_bucket_public_access_block.state]
}

# --- GitHub's OIDC identity provider -----------------------------------------------------------------------

# GitHub Actions presents a token from token.actions.githubusercontent.com with the audience
# sts.amazonaws.com; IAM verifies it against this provider (AWS trusts GitHub's CA, so no thumbprint is needed).
# https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
resource "aws_iam_openid_connect_provider" "github" {
  count = var.existing_oidc_provider_arn == null ? 1 : 0

  url            = "https://${local.github_oidc_host}"
  client_id_list = ["sts.amazonaws.com"]
}

# --- The two roles -----------------------------------------------------------------------------------------

# Pull request jobs get sub = repo:OWNER/REPO:pull_request; jobs in an environment get
# sub = repo:OWNER/REPO:environment:NAME. Each role trusts one, pinned exactly (StringEquals), with the audience.
# https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
locals {
  github_roles = {
    plan = {
      subject     = "repo:${var.github_repository}:pull_request"
      description = "terraform plan of ${var.stack_name} for pull requests of ${var.github_repository}: reads configuration and the state, nothing else"
      policy      = data.aws_iam_policy_document.plan.json
    }
    apply = {
      subject     = "repo:${var.github_repository}:environment:${var.production_environment}"
      description = "terraform apply of ${var.stack_name} from the ${var.production_environment} environment of ${var.github_repository}"
      policy      = data.aws_iam_policy_document.apply.json
    }
  }
}

data "aws_iam_policy_document" "trust" {
  for_each = local.github_roles

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:sub"
      values   = [each.value.subject]
    }
  }
}

# <stack_name>-github-plan and <stack_name>-github-apply, each with its policy (policies.tf) inline.
resource "aws_iam_role" "github" {
  for_each = local.github_roles

  name                 = "${var.stack_name}-github-${each.key}"
  description          = each.value.description
  assume_role_policy   = data.aws_iam_policy_document.trust[each.key].json
  max_session_duration = 3600

  depends_on = [aws_iam_openid_connect_provider.github]
}

resource "aws_iam_role_policy" "github" {
  for_each = local.github_roles

  name   = "${var.stack_name}-${each.key}"
  role   = aws_iam_role.github[each.key].id
  policy = each.value.policy
}
