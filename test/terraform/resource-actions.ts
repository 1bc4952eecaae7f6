/**
 * The IAM actions Terraform (hashicorp/aws 5.100) sends to read, create, update and destroy each resource
 * type of the stack: the table terraform/bootstrap's two roles are checked against
 * (test/terraform/bootstrap-policy.test.ts). `read` is what `terraform plan` refreshes (the plan role needs
 * it, and so does apply); create, update and destroy are the apply role's.
 *
 * Sources, per service: AWS's Service Authorization Reference, which maps API operations to IAM actions,
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagementv2.html
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html
 * and, for which operations each resource calls, the provider's documentation of that resource
 * (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/<type without aws_>) and its
 * source (internal/service/<service>/ in hashicorp/terraform-provider-aws), plus the notes on each row.
 * Only a real account can prove a table complete (an AccessDenied names what is missing): see the README.
 */

export interface ResourceActions {
  read: string[];
  create: string[];
  update: string[];
  destroy: string[];
  /** Why these and not others, where the sources above do not say it at once. */
  notes?: string;
}

/** HTTP APIs are authorised by HTTP verb on the resource path: GET reads, POST creates, PATCH updates, DELETE deletes. */
const apiGatewayV2: ResourceActions = {
  read: ["apigateway:GET"],
  create: ["apigateway:POST"],
  update: ["apigateway:PATCH"],
  destroy: ["apigateway:DELETE"],
};

export const RESOURCE_ACTIONS: Record<string, ResourceActions> = {
  aws_apigatewayv2_api: {
    ...apiGatewayV2,
    // TagResource is POST /v2/tags/{arn}, UntagResource DELETE, GetTags GET; removing CORS is DeleteCorsConfiguration (DELETE).
    update: ["apigateway:PATCH", "apigateway:POST", "apigateway:DELETE"],
    notes: "CreateApi, GetApi, UpdateApi, DeleteApi, DeleteCorsConfiguration, TagResource, UntagResource, GetTags.",
  },
  aws_apigatewayv2_integration: apiGatewayV2,
  aws_apigatewayv2_authorizer: apiGatewayV2,
  aws_apigatewayv2_route: apiGatewayV2,
  aws_apigatewayv2_stage: {
    read: ["apigateway:GET"],
    // Access logging: API Gateway's documented requirement for turning on HTTP API logs
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html).
    create: [
      "apigateway:POST",
      "logs:CreateLogDelivery",
      "logs:PutResourcePolicy",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:CreateLogGroup",
      "logs:DescribeResourcePolicies",
      "logs:GetLogDelivery",
      "logs:ListLogDeliveries",
      "logs:DescribeLogGroups",
      "logs:DescribeLogStreams",
      "logs:GetLogEvents",
      "logs:FilterLogEvents",
    ],
    update: [
      "apigateway:PATCH",
      "apigateway:POST",
      "apigateway:DELETE",
      "logs:CreateLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:GetLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
    ],
    destroy: ["apigateway:DELETE", "logs:DeleteLogDelivery"],
    notes: "CreateStage, GetStage, UpdateStage, DeleteStage; route_settings are part of UpdateStage; tags as for the API.",
  },
  aws_lambda_permission: {
    read: ["lambda:GetPolicy"],
    create: ["lambda:AddPermission"],
    update: [],
    destroy: ["lambda:RemovePermission"],
    notes: "Every argument forces a new permission: there is no update.",
  },
  aws_lambda_function: {
    // GetFunction returns the function's tags only with lambda:ListTags
    // (https://docs.aws.amazon.com/lambda/latest/dg/configuration-tags.html); the provider reads the latest
    // version with ListVersionsByFunction and, in the commercial partition, the code signing config.
    read: ["lambda:GetFunction", "lambda:ListTags", "lambda:ListVersionsByFunction", "lambda:GetFunctionCodeSigningConfig"],
    // CreateFunction and UpdateFunctionConfiguration with a role need iam:PassRole on it.
    create: ["lambda:CreateFunction", "lambda:TagResource", "iam:PassRole"],
    update: [
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
      "lambda:TagResource",
      "lambda:UntagResource",
      "iam:PassRole",
    ],
    destroy: ["lambda:DeleteFunction"],
  },
  aws_iam_role: {
    read: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
    create: ["iam:CreateRole", "iam:TagRole"],
    update: ["iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole"],
    // Before DeleteRole the provider removes the role from instance profiles and drops its inline policies.
    destroy: ["iam:DeleteRole", "iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:DeleteRolePolicy"],
  },
  aws_iam_role_policy: {
    read: ["iam:GetRolePolicy"],
    create: ["iam:PutRolePolicy"],
    update: ["iam:PutRolePolicy"],
    destroy: ["iam:DeleteRolePolicy"],
  },
  aws_dynamodb_table: {
    read: ["dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTimeToLive", "dynamodb:ListTagsOfResource"],
    // Point-in-time recovery and TTL are set after CreateTable, by their own operations.
    create: ["dynamodb:CreateTable", "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTimeToLive", "dynamodb:TagResource"],
    update: [
      "dynamodb:UpdateTable",
      "dynamodb:UpdateContinuousBackups",
      "dynamodb:UpdateTimeToLive",
      "dynamodb:TagResource",
      "dynamodb:UntagResource",
    ],
    destroy: ["dynamodb:DeleteTable"],
  },
  aws_kms_key: {
    read: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
    // CreateKey with tags also needs kms:TagResource; a key created with rotation on (the alarm topic's) is
    // then given it with EnableKeyRotation.
    create: ["kms:CreateKey", "kms:TagResource", "kms:EnableKeyRotation"],
    update: [
      "kms:UpdateKeyDescription",
      "kms:PutKeyPolicy",
      "kms:EnableKey",
      "kms:DisableKey",
      "kms:EnableKeyRotation",
      "kms:DisableKeyRotation",
      "kms:TagResource",
      "kms:UntagResource",
    ],
    destroy: ["kms:ScheduleKeyDeletion"],
  },
  aws_kms_alias: {
    read: ["kms:ListAliases"],
    create: ["kms:CreateAlias"],
    update: ["kms:UpdateAlias"],
    destroy: ["kms:DeleteAlias"],
  },
  aws_cloudwatch_log_group: {
    read: ["logs:DescribeLogGroups", "logs:ListTagsForResource"],
    create: ["logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:TagResource"],
    update: ["logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:TagResource", "logs:UntagResource"],
    destroy: ["logs:DeleteLogGroup"],
  },
  aws_cloudwatch_metric_alarm: {
    read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
    // PutMetricAlarm with tags also needs cloudwatch:TagResource.
    create: ["cloudwatch:PutMetricAlarm", "cloudwatch:TagResource"],
    update: ["cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
    destroy: ["cloudwatch:DeleteAlarms"],
  },
  aws_cloudwatch_dashboard: {
    read: ["cloudwatch:GetDashboard"],
    create: ["cloudwatch:PutDashboard"],
    update: ["cloudwatch:PutDashboard"],
    destroy: ["cloudwatch:DeleteDashboards"],
    notes: "A dashboard takes no tags (hashicorp/aws 5.100).",
  },
  aws_sns_topic: {
    read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
    // CreateTopic with tags also needs sns:TagResource; attributes the create cannot pass are set after it.
    create: ["sns:CreateTopic", "sns:TagResource", "sns:SetTopicAttributes"],
    update: ["sns:SetTopicAttributes", "sns:TagResource", "sns:UntagResource"],
    destroy: ["sns:DeleteTopic"],
  },
  aws_sns_topic_subscription: {
    read: ["sns:GetSubscriptionAttributes"],
    create: ["sns:Subscribe", "sns:GetSubscriptionAttributes"],
    update: ["sns:SetSubscriptionAttributes"],
    destroy: ["sns:Unsubscribe"],
    notes:
      "Only with alarm_email. Subscribe is authorised on the topic; the subscription's own actions name no resource type, so they take *. An email subscription left unconfirmed is deleted by SNS after three days.",
  },
  // Data sources: read at plan time (or at apply, when they depend on what the apply creates).
  aws_caller_identity: {
    read: [],
    create: [],
    update: [],
    destroy: [],
    notes: "data source: sts:GetCallerIdentity, which needs no permission (the alarm topic's key policy names the account).",
  },
  aws_partition: { read: [], create: [], update: [], destroy: [], notes: "data source computed by the provider itself: no AWS call." },
  aws_region: { read: [], create: [], update: [], destroy: [], notes: "data source computed by the provider itself: no AWS call." },
  aws_kms_public_key: {
    read: ["kms:GetPublicKey"],
    create: [],
    update: [],
    destroy: [],
    notes: "data source: the signing key's public half, passed to the function as SIGNING_PUBLIC_KEY.",
  },
  aws_iam_policy_document: {
    read: [],
    create: [],
    update: [],
    destroy: [],
    notes: "data source computed by the provider itself: no AWS call.",
  },
};

/**
 * The S3 backend with use_lockfile: list the bucket, read and write the state object, and create, read and
 * delete <key>.tflock. The plan job runs with -lock=false and only reads the state.
 * https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required
 */
export const STATE_ACTIONS = {
  plan: ["s3:ListBucket", "s3:GetObject"],
  apply: ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
};

/**
 * Reads of data, not of configuration: what a pull request's code must never get from the plan role.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html (item reads),
 * list_awskeymanagementservice.html (cryptographic operations), list_amazons3.html (object reads).
 */
export const DATA_READS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:PartiQLSelect",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
  "dynamodb:GetRecords",
  "dynamodb:ExportTableToPointInTime",
  "kms:Sign",
  "kms:Decrypt",
  "kms:GenerateDataKey",
  "kms:ReEncryptFrom",
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "logs:StartQuery",
  "lambda:InvokeFunction",
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter",
];
