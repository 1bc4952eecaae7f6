/**
 * The whole stack planned offline (fake credentials in a temporary copy), then checked as JSON: policy
 * tests (what must hold for any deployment) and contract tests (the plan agrees with the files the Lambda
 * build and the local stack use).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { readGatewaySettings } from "../../scripts/gateway-emulator/settings.js";
import { LAMBDA_RUNTIME } from "../../scripts/lib/lambda-runtime.js";
import { deserialize } from "../../scripts/signing-keys/key-set.js";
import { SIGNING_KEYS_TFVARS } from "../../scripts/signing-keys/terraform-target.js";
import { OFFLINE_ACCOUNT } from "../../scripts/terraform/lib/offline-aws.js";
import { createWorkspace, offlinePlan, REPO_ROOT, terraformEnv } from "../../scripts/terraform/lib/terraform.js";
import { PUBLIC_ROUTES } from "../support/public-routes.js";
import { notEmitted } from "./emitted-metrics.js";
import { requireTerraform } from "./support.js";

const SECRET_NAME = /secret|passw|private|token|credential|api_?key|access_?key/i;
// A public key (SIGNING_PUBLIC_KEY) is fine; any other PEM block is not.
const SECRET_VALUE = /-----BEGIN (?!PUBLIC KEY-----)|AKIA[0-9A-Z]{16}|^[A-Za-z0-9/+=]{40}$/;

// --- the parts of `terraform show -json` these tests read --------------------------------------------------
type Values = Record<string, any>;
interface ResourceChange {
  address: string;
  module_address?: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  change: { actions: string[]; after: Values; after_unknown: Values };
}
interface Expression {
  references?: string[];
  constant_value?: unknown;
}
interface ModuleConfig {
  resources?: { address: string; mode: string; type: string; name: string; expressions: Record<string, any> }[];
  module_calls?: Record<string, { expressions: Record<string, Expression>; module: ModuleConfig }>;
  outputs?: Record<string, { expression: Expression }>;
}
interface Plan {
  resource_changes: ResourceChange[];
  output_changes: Record<string, { after: unknown }>;
  prior_state?: { values?: { root_module?: StateModule } };
  configuration: { root_module: ModuleConfig };
}
interface StateModule {
  resources?: { address: string; type: string; values: Values }[];
  child_modules?: StateModule[];
}

/** What deploys: the committed key set (terraform/signing-keys.auto.tfvars.json). */
const committedKeySet = () => deserialize(readFileSync(SIGNING_KEYS_TFVARS, "utf8"), SIGNING_KEYS_TFVARS);

const routeManifest = JSON.parse(readFileSync(join(REPO_ROOT, "build/routes.json"), "utf8")) as {
  routeKey: string;
  auth: string;
  scopes?: string[];
}[];
const tableDefinition = JSON.parse(readFileSync(join(REPO_ROOT, "lambda/src/data/table-definition.json"), "utf8")) as {
  partitionKey: { name: string; type: string };
  sortKey?: { name: string; type: string };
  ttlAttribute?: string;
  globalSecondaryIndexes?: {
    name: string;
    partitionKey: { name: string; type: string };
    projectionType: string;
    nonKeyAttributes?: string[];
  }[];
};

describe("terraform: the offline plan of the whole stack", function () {
  this.timeout(120_000);
  let plan: Plan;

  before(async function () {
    requireTerraform(this);
    const workspace = createWorkspace();
    try {
      plan = (await offlinePlan(workspace)) as Plan;
    } finally {
      workspace.remove();
    }
  });

  const managed = (type: string) => plan.resource_changes.filter((change) => change.mode === "managed" && change.type === type);
  const one = (type: string) => {
    const found = managed(type);
    expect(found, type).to.have.length(1);
    return found[0]!;
  };
  const sorted = (values: unknown) => [...(values as string[])].sort();
  const byAddress = (address: string) => {
    const found = plan.resource_changes.find((change) => change.address === address);
    expect(found, address).to.exist;
    return found!;
  };

  /**
   * Resolves an expression's references to the resource attributes they come from, through module inputs
   * and outputs: e.g. module.lambda's var.dynamodb_table_arn => module.table.aws_dynamodb_table.this.arn. A
   * module called with for_each is referred to whole (`module.signing_key`, indexed by an expression the
   * configuration does not resolve), so it stays as it is.
   */
  function origins(modulePath: string[], expression: Expression | undefined): string[] {
    const references = expression?.references ?? [];
    const whole = references.filter((ref) => /^module\.\w+$/.test(ref) && !references.some((other) => other.startsWith(`${ref}.`)));
    const own = references.filter((ref) => ref.split(".").length >= 3 || ref.startsWith("var."));
    return [...new Set(whole)].concat(
      own.flatMap((ref) => {
        const parts = ref.split(".");
        if (parts[0] === "var") {
          const parentConfig = moduleConfig(modulePath.slice(0, -1));
          const call = parentConfig.module_calls?.[modulePath.at(-1)!];
          return origins(modulePath.slice(0, -1), call?.expressions[parts[1]!]);
        }
        if (parts[0] === "module") {
          const child = [...modulePath, parts[1]!];
          return origins(child, moduleConfig(child).outputs?.[parts[2]!]?.expression);
        }
        if (parts[0] === "local" || parts[0] === "data") return [];
        return [[...modulePath.map((name) => `module.${name}`), ref].join(".")];
      }),
    );
  }
  function moduleConfig(path: string[]): ModuleConfig {
    return path.reduce<ModuleConfig>((config, name) => config.module_calls![name]!.module, plan.configuration.root_module);
  }
  function stateResources(module: StateModule | undefined): { address: string; type: string; values: Values }[] {
    if (!module) return [];
    return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(stateResources)];
  }
  /** The policy documents attached to KMS keys as their key policies, by address. */
  function keyPolicyDocuments(): string[] {
    const found: string[] = [];
    const visit = (config: ModuleConfig, path: string[]) => {
      for (const resource of config.resources ?? []) {
        if (resource.type !== "aws_kms_key") continue;
        const document = (resource.expressions.policy?.references as string[] | undefined)?.find((ref) =>
          /^data\.aws_iam_policy_document\.[\w-]+$/.test(ref),
        );
        if (document) found.push([...path.map((name) => `module.${name}`), document].join("."));
      }
      for (const [name, call] of Object.entries(config.module_calls ?? {})) visit(call.module, [...path, name]);
    };
    visit(plan.configuration.root_module, []);
    return found.sort();
  }
  const stateValues = (address: string) => stateResources(plan.prior_state?.values?.root_module).find((r) => r.address === address)?.values;

  describe("policy", () => {
    it('grants no wildcard action and no wildcard resource in any IAM policy (a key policy\'s Resource is always "*": its own key)', () => {
      // Policy documents read at plan time carry their JSON; those deferred to apply carry their statements.
      const read = stateResources(plan.prior_state?.values?.root_module).filter((r) => r.type === "aws_iam_policy_document");
      const deferred = plan.resource_changes.filter((change) => change.mode === "data" && change.type === "aws_iam_policy_document");
      expect(read.length + deferred.length).to.be.at.least(2);
      const keyPolicies = keyPolicyDocuments();
      expect(keyPolicies).to.deep.equal(["module.monitoring.data.aws_iam_policy_document.topic_key"]);

      for (const document of read) {
        for (const statement of JSON.parse(document.values.json).Statement as Values[]) {
          for (const action of [statement.Action ?? [], statement.NotAction ?? []].flat())
            expect(action, document.address).not.to.include("*");
          // In a key policy "*" names the key the policy is attached to, and nothing else.
          const resources = [statement.Resource ?? [], statement.NotResource ?? []].flat();
          if (keyPolicies.includes(document.address)) expect(statement.Resource, document.address).to.equal("*");
          else for (const resource of resources) expect(resource, document.address).not.to.include("*");
        }
      }
      for (const document of deferred) {
        for (const statement of document.change.after.statement as Values[]) {
          expect(statement.not_actions ?? [], "no NotAction").to.be.empty;
          expect(statement.not_resources ?? [], "no NotResource").to.be.empty;
          expect(statement.effect ?? "Allow").to.equal("Allow");
          expect(statement.actions, `${document.address} ${statement.sid}`).to.not.be.empty;
          for (const action of statement.actions as string[]) expect(action, document.address).to.match(/^[a-z0-9-]+:[A-Za-z]+$/);
          for (const resource of statement.resources as (string | null)[]) if (resource !== null) expect(resource).not.to.include("*");
        }
      }
      // Every inline policy is one of the documents checked above; nothing else is attached.
      for (const policy of managed("aws_iam_role_policy")) {
        const path = policy.module_address ? policy.module_address.split(".").filter((_, i) => i % 2 === 1) : [];
        const config = moduleConfig(path).resources!.find((r) => r.type === "aws_iam_role_policy" && r.name === policy.name)!;
        expect(config.expressions.policy.references.some((ref: string) => ref.startsWith("data.aws_iam_policy_document."))).to.equal(true);
      }
      for (const type of [
        "aws_iam_role_policy_attachment",
        "aws_iam_policy_attachment",
        "aws_iam_policy",
        "aws_iam_user",
        "aws_iam_group",
      ]) {
        expect(managed(type), type).to.be.empty;
      }
    });

    it("scopes the function's permissions to its own table, signing key and log group, with only the actions the code uses", () => {
      const permissions = plan.resource_changes.find(
        (change) => change.address === "module.lambda.data.aws_iam_policy_document.permissions",
      )!;
      const config = moduleConfig(["lambda"]).resources!.find((r) => r.address === "data.aws_iam_policy_document.permissions")!;
      const statements = permissions.change.after.statement as Values[];
      const bySid = Object.fromEntries(
        statements.map((statement, index) => [
          statement.sid,
          { actions: sorted(statement.actions), resources: origins(["lambda"], config.expressions.statement[index].resources) },
        ]),
      );
      expect(bySid).to.deep.equal({
        Table: {
          actions: ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
          resources: ["module.table.aws_dynamodb_table.this.arn"],
        },
        // The index ARNs are built from the table's (the table module's output), so the origin is the table.
        TableIndexes: { actions: ["dynamodb:Query", "dynamodb:Scan"], resources: ["module.table.aws_dynamodb_table.this.arn"] },
        // Each key of the set (module.signing_key is called for_each key; test/terraform/signing-keys.test.ts
        // checks the ARNs of a plan with several keys).
        SigningKey: { actions: ["kms:Sign"], resources: ["module.signing_key"] },
        OwnLogGroup: {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: ["module.lambda.module.log_group.aws_cloudwatch_log_group.this.arn"],
        },
      });
      // The code sends exactly these DynamoDB commands: Query and Scan only to the index, the others only to the table.
      const dataDir = join(REPO_ROOT, "lambda/src/data");
      const dataCode = readdirSync(dataDir)
        .filter((name) => name.endsWith(".ts"))
        .map((name) => readFileSync(join(dataDir, name), "utf8"))
        .join("\n");
      const commands = new Set([...dataCode.matchAll(/new (\w+)Command\(/g)].map((match) => `dynamodb:${match[1]}`));
      expect([...commands].sort()).to.deep.equal([...bySid.Table!.actions, ...bySid.TableIndexes!.actions].sort());
      for (const command of ["Query", "Scan"]) {
        const sent = [...dataCode.matchAll(new RegExp(`new ${command}Command\\(\\{([^]*?)\\}\\)`, "g"))].map((match) => match[1]!);
        expect(sent, command).to.not.be.empty;
        for (const input of sent) expect(input, `every ${command} names the index`).to.match(/IndexName: USERS_BY_ID\.name/);
      }
    });

    it("puts the JWT authorizer on every jwt route; every route without it is in the explicit public list", () => {
      const routes = managed("aws_apigatewayv2_route");
      expect(routes).to.not.be.empty;
      for (const route of routes) {
        const { route_key: routeKey, authorization_type: type } = route.change.after;
        const auth = routeManifest.find((entry) => entry.routeKey === routeKey)?.auth;
        if (auth === "jwt" || type === "JWT") {
          expect({ routeKey, auth, type, authorizer: route.change.after_unknown.authorizer_id }).to.deep.equal({
            routeKey,
            auth: "jwt",
            type: "JWT",
            authorizer: true,
          });
        } else {
          expect(type, routeKey).to.equal("NONE");
          expect(PUBLIC_ROUTES, `${routeKey} has no authorizer and is not in test/support/public-routes.ts`).to.include(routeKey);
        }
      }
      const authorizer = moduleConfig(["http_api"]).resources!.find((r) => r.type === "aws_apigatewayv2_route")!;
      expect(authorizer.expressions.authorizer_id.references).to.include("aws_apigatewayv2_authorizer.jwt.id");
    });

    it("makes the JWT authorizer trust this API as the issuer", () => {
      const authorizer = one("aws_apigatewayv2_authorizer");
      expect(authorizer.change.after.authorizer_type).to.equal("JWT");
      expect(authorizer.change.after.identity_sources).to.deep.equal(["$request.header.Authorization"]);
      const config = moduleConfig(["http_api"]).resources!.find((r) => r.type === "aws_apigatewayv2_authorizer")!;
      expect(origins(["http_api"], config.expressions.jwt_configuration[0].issuer)).to.deep.equal([
        "module.http_api.aws_apigatewayv2_api.this.api_endpoint",
      ]);
      // The Lambda's ISSUER is the same value.
      const lambdaCall = plan.configuration.root_module.module_calls!.lambda!;
      expect(lambdaCall.expressions.environment_variables!.references).to.include("local.issuer");
    });

    it("protects the table: point-in-time recovery, encryption at rest, deletion protection", () => {
      const table = one("aws_dynamodb_table").change.after;
      expect(table.point_in_time_recovery[0].enabled).to.equal(true);
      expect(table.server_side_encryption[0].enabled).to.equal(true);
      expect(table.deletion_protection_enabled).to.equal(true);
      expect(table.billing_mode).to.equal("PAY_PER_REQUEST");
    });

    it("sets a retention on every log group", () => {
      const groups = managed("aws_cloudwatch_log_group");
      expect(groups).to.have.length(2);
      for (const group of groups) expect(group.change.after.retention_in_days, group.address).to.be.greaterThan(0);
    });

    it("names the access log group under /aws/vendedlogs/, which keeps it out of CloudWatch Logs' account resource policy", () => {
      const access = plan.resource_changes.find(
        (change) => change.address === "module.http_api.module.access_log_group.aws_cloudwatch_log_group.this",
      )!;
      expect(access.change.after.name).to.equal("/aws/vendedlogs/apigateway/auth-api/access");
    });

    it("refuses, at plan time, a log retention CloudWatch Logs does not accept: modules/log_group's message for each log group", async () => {
      const workspace = createWorkspace();
      try {
        for (const days of [0, 10]) {
          const failure = await offlinePlan(workspace, terraformEnv({ TF_VAR_log_retention_days: String(days) })).then(
            () => undefined,
            (error: Error) => error.message,
          );
          expect(failure, `log_retention_days = ${days} was planned`).to.be.a("string");
          expect(failure!.match(/^Error: .*$/gm), failure).to.deep.equal([
            "Error: Invalid value for variable",
            "Error: Invalid value for variable",
          ]);
          const text = failure!.replace(/\s+/g, " ");
          for (const call of ['in module "access_log_group"', 'in module "log_group"']) expect(text, failure).to.include(call);
          expect(text.split(`var.retention_in_days is ${days} `), failure).to.have.length(3);
          expect(text.split("log retention must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14,"), failure).to.have.length(3);
          expect(text).to.include("3288 or 3653 days (never 0, which keeps logs forever).");
          expect(text).to.include("checked by the validation rule at modules/log_group/variables.tf");
        }
      } finally {
        workspace.remove();
      }
    });

    it("throttles the stage, with limits above 0", () => {
      const stage = one("aws_apigatewayv2_stage").change.after;
      const limits = stage.default_route_settings[0];
      expect(limits.throttling_burst_limit).to.be.greaterThan(0);
      expect(limits.throttling_rate_limit).to.be.greaterThan(0);
      for (const route of stage.route_settings) {
        expect(route.throttling_burst_limit).to.be.greaterThan(0);
        expect(route.throttling_rate_limit).to.be.greaterThan(0);
      }
      expect(stage.access_log_settings).to.have.length(1);
    });

    it("gives both well-known routes their own throttle, far above the stage default, so a flood of them cannot starve the authorizer's key fetch", () => {
      const stage = one("aws_apigatewayv2_stage").change.after;
      const defaults = stage.default_route_settings[0];
      for (const routeKey of ["GET /.well-known/openid-configuration", "GET /.well-known/jwks.json"]) {
        const limits = (stage.route_settings as Values[]).find((route) => route.route_key === routeKey);
        expect(limits, routeKey).to.exist;
        expect(limits!.throttling_rate_limit, routeKey).to.be.at.least(10 * defaults.throttling_rate_limit);
        expect(limits!.throttling_burst_limit, routeKey).to.be.at.least(10 * defaults.throttling_burst_limit);
      }
    });

    it("lets only this API invoke the function", () => {
      const permission = one("aws_lambda_permission");
      expect(permission.change.after).to.include({ action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com" });
      expect(permission.change.after_unknown.source_arn).to.equal(true);
      const config = moduleConfig(["http_api"]).resources!.find((r) => r.type === "aws_lambda_permission")!;
      expect(origins(["http_api"], config.expressions.source_arn)).to.deep.equal([
        "module.http_api.aws_apigatewayv2_api.this.execution_arn",
      ]);
    });

    it("runs the runtime the bundle is built and tested for, and keeps secrets out of the environment", () => {
      const fn = one("aws_lambda_function").change;
      expect(fn.after.runtime, "scripts/lib/lambda-runtime.ts").to.equal(LAMBDA_RUNTIME);
      expect(fn.after.architectures).to.deep.equal(["arm64"]);
      expect(fn.after.handler).to.equal("index.handler");
      // The values depend on resources not created yet, so the plan knows the names (an output) but not the map.
      const names = plan.output_changes.function_environment_names!.after as string[];
      // The committed key set may be mid-rotation: the keys that do not sign come in one variable more.
      const others = Object.keys(committedKeySet()).length > 1 ? ["OTHER_PUBLIC_KEYS"] : [];
      expect(names).to.deep.equal(
        [
          "AUDIENCE",
          "BCRYPT_COST",
          "ISSUER",
          "KMS_KEY_ID",
          "METRICS_NAMESPACE",
          "NODE_OPTIONS",
          ...others,
          "SIGNING_PUBLIC_KEY",
          "TABLE_NAME",
        ].sort(),
      );
      for (const name of names) expect(name).not.to.match(SECRET_NAME);
      const variables = (fn.after.environment[0].variables ?? {}) as Record<string, unknown>;
      for (const value of Object.values(variables)) if (typeof value === "string") expect(value).not.to.match(SECRET_VALUE);
    });

    it("refuses nodejs24.x with the pinned hashicorp/aws 5.100, as the README's runtime note says (6.19 or later knows it)", async () => {
      const workspace = createWorkspace();
      try {
        const failure = await offlinePlan(workspace, terraformEnv({ TF_VAR_lambda_runtime: "nodejs24.x" })).then(
          () => "planned",
          (error: Error) => error.message,
        );
        expect(failure).to.match(/expected runtime to be one of \[[^\]]*"nodejs22\.x"\], got nodejs24\.x/);
      } finally {
        workspace.remove();
      }
    });

    it("passes the function its signing keys' public halves, read from each key by Terraform, so no request waits on KMS", () => {
      const environment = plan.configuration.root_module.module_calls!.lambda!.expressions.environment_variables!.references!;
      expect(environment).to.include.members(["module.signing_key", "local.signing_key", "local.other_signing_keys"]);
      const signingKey = moduleConfig(["signing_key"]);
      expect(signingKey.outputs!.public_key_pem!.expression.references).to.include("data.aws_kms_public_key.this.public_key_pem");
      expect(signingKey.outputs!.public_key!.expression.references).to.include("data.aws_kms_public_key.this.public_key");
      const read = signingKey.resources!.find((r) => r.address === "data.aws_kms_public_key.this")!;
      expect(read.expressions.key_id.references).to.include("aws_kms_key.this.arn");
      // A new key is read once it exists, during apply.
      for (const name of Object.keys(committedKeySet())) {
        const read = plan.resource_changes.find((c) => c.address === `module.signing_key["${name}"].data.aws_kms_public_key.this`);
        expect(read!.change.actions, name).to.deep.equal(["read"]);
      }
    });

    it("uses an RSA SIGN_VERIFY key, with an alias naming it, for each key of the set, without automatic rotation (KMS refuses it for asymmetric keys)", () => {
      const names = Object.keys(committedKeySet()).sort();
      const keys = managed("aws_kms_key").filter((key) => key.address.startsWith("module.signing_key["));
      expect(keys.map((key) => key.address)).to.deep.equal(names.map((name) => `module.signing_key["${name}"].aws_kms_key.this`));
      for (const key of keys) {
        expect(key.change.after).to.include({ customer_master_key_spec: "RSA_2048", key_usage: "SIGN_VERIFY", enable_key_rotation: false });
        expect(key.change.after.deletion_window_in_days).to.be.within(7, 30);
      }
      const aliases = managed("aws_kms_alias").filter((alias) => alias.address.startsWith("module.signing_key["));
      expect(aliases.map((alias) => alias.change.after.name)).to.deep.equal(names.map((name) => `alias/auth-api-token-signing-${name}`));
    });
  });

  describe("contract with the Lambda build and the local stack", () => {
    it("creates exactly the routes of build/routes.json", () => {
      const planned = managed("aws_apigatewayv2_route").map((route) => {
        const scopes = (route.change.after.authorization_scopes as string[] | null) ?? [];
        return {
          routeKey: route.change.after.route_key,
          auth: route.change.after.authorization_type === "JWT" ? "jwt" : "public",
          ...(scopes.length > 0 ? { scopes: sorted(scopes) } : {}),
        };
      });
      const byKey = (a: { routeKey: string }, b: { routeKey: string }) => a.routeKey.localeCompare(b.routeKey);
      const manifest = routeManifest.map((entry) => (entry.scopes ? { ...entry, scopes: sorted(entry.scopes) } : entry));
      expect(planned.sort(byKey)).to.deep.equal(manifest.sort(byKey));
    });

    describe("sets authorization_scopes on each route as the manifest says", () => {
      it("has routes that require scopes", () => {
        expect(routeManifest.filter((entry) => entry.scopes?.length)).to.not.be.empty;
      });
      for (const { routeKey, auth, scopes = [] } of routeManifest) {
        it(`${routeKey}: ${scopes.length > 0 ? scopes.join(" ") : "none"}`, () => {
          const route = managed("aws_apigatewayv2_route").find((change) => change.change.after.route_key === routeKey);
          expect(route, routeKey).to.not.equal(undefined);
          const planned = route!.change.after;
          if (scopes.length > 0) {
            expect(auth).to.equal("jwt");
            expect({ type: planned.authorization_type, scopes: sorted(planned.authorization_scopes) }).to.deep.equal({
              type: "JWT",
              scopes: sorted(scopes),
            });
          } else {
            expect(planned.authorization_scopes ?? null, routeKey).to.equal(null);
          }
        });
      }
    });

    it("creates the table with the key schema, indexes and TTL of the shared table definition", () => {
      const table = one("aws_dynamodb_table").change.after;
      expect(table.hash_key).to.equal(tableDefinition.partitionKey.name);
      expect(table.range_key ?? undefined).to.equal(tableDefinition.sortKey?.name);
      const indexes = tableDefinition.globalSecondaryIndexes ?? [];
      const keys = [
        tableDefinition.partitionKey,
        ...(tableDefinition.sortKey ? [tableDefinition.sortKey] : []),
        ...indexes.map((index) => index.partitionKey),
      ];
      expect(table.attribute).to.have.deep.members(keys);
      expect(
        (table.global_secondary_index as Values[]).map((index) => ({
          name: index.name,
          partitionKey: index.hash_key,
          projectionType: index.projection_type,
          nonKeyAttributes: sorted(index.non_key_attributes ?? []),
        })),
      ).to.have.deep.members(
        indexes.map((index) => ({
          name: index.name,
          partitionKey: index.partitionKey.name,
          projectionType: index.projectionType,
          nonKeyAttributes: sorted(index.nonKeyAttributes ?? []),
        })),
      );
      expect(table.ttl).to.deep.equal(
        tableDefinition.ttlAttribute ? [{ attribute_name: tableDefinition.ttlAttribute, enabled: true }] : [],
      );
    });

    it("deploys the CORS settings the local gateway emulates", () => {
      const { cors } = readGatewaySettings();
      const planned = one("aws_apigatewayv2_api").change.after.cors_configuration[0];
      expect({
        allowOrigins: sorted(planned.allow_origins),
        allowMethods: sorted(planned.allow_methods),
        allowHeaders: sorted(planned.allow_headers),
        exposeHeaders: sorted(planned.expose_headers),
        maxAgeSeconds: planned.max_age,
        allowCredentials: planned.allow_credentials,
      }).to.deep.equal({
        ...cors,
        allowOrigins: sorted(cors.allowOrigins),
        allowMethods: sorted(cors.allowMethods),
        allowHeaders: sorted(cors.allowHeaders),
        exposeHeaders: sorted(cors.exposeHeaders),
      });
    });

    it("deploys the throttling the local gateway emulates: the stage default and the per-route limits", () => {
      const { throttling } = readGatewaySettings();
      const stage = one("aws_apigatewayv2_stage").change.after;
      const { throttling_burst_limit: burstLimit, throttling_rate_limit: rateLimit } = stage.default_route_settings[0];
      expect({ burstLimit, rateLimit }).to.deep.equal(throttling.default);
      const routes = Object.fromEntries(
        (stage.route_settings as Values[]).map((route) => [
          route.route_key,
          { burstLimit: route.throttling_burst_limit, rateLimit: route.throttling_rate_limit },
        ]),
      );
      expect(routes).to.deep.equal(throttling.routes);
    });

    it("deploys the integration timeout, the access-log format and the audience the local gateway uses", () => {
      const settings = readGatewaySettings();
      expect(one("aws_apigatewayv2_integration").change.after).to.include({
        timeout_milliseconds: settings.integrationTimeoutMilliseconds,
        payload_format_version: "2.0",
        integration_type: "AWS_PROXY",
      });
      expect(JSON.parse(one("aws_apigatewayv2_stage").change.after.access_log_settings[0].format)).to.deep.equal(settings.accessLogFormat);
      expect(one("aws_apigatewayv2_authorizer").change.after.jwt_configuration[0].audience).to.deep.equal([settings.audience]);
      expect(plan.configuration.root_module.module_calls!.lambda!.expressions.environment_variables!.references).to.include(
        "local.audience",
      );
    });
  });
  describe("monitoring: alarms, their topic, tracing", () => {
    const STACK = "auth-api";
    /** Every alarm the stack must have, and what each reads: `namespace name` of its metrics. */
    const ALARMS: Record<string, string[]> = {
      "lambda-errors": ["AWS/Lambda Errors"],
      "lambda-throttles": ["AWS/Lambda Throttles"],
      "lambda-duration-p99": ["AWS/Lambda Duration"],
      "lambda-concurrency": ["AWS/Lambda ConcurrentExecutions"],
      "api-5xx-rate": ["AWS/ApiGateway Count", "AWS/ApiGateway 5xx"],
      "api-integration-latency-p99": ["AWS/ApiGateway IntegrationLatency"],
      "dynamodb-throttles": ["AWS/DynamoDB ThrottledRequests"],
      "dynamodb-system-errors": ["AWS/DynamoDB SystemErrors"],
      "signer-unavailable": [`${STACK} SignerUnavailable`],
      "refresh-token-reuse": [`${STACK} RefreshTokenReuse`],
      "failed-logins": [`${STACK} LoginFailed`],
      lockouts: [`${STACK} Lockouts`],
    };
    const alarm = (name: string) => byAddress(`module.monitoring.aws_cloudwatch_metric_alarm.this["${name}"]`);
    const tableActions = () =>
      (byAddress("module.lambda.data.aws_iam_policy_document.permissions").change.after.statement as Values[]).find(
        (statement) => statement.sid === "Table",
      )!.actions as string[];

    it("has exactly these alarms, named after the stack", () => {
      expect(
        managed("aws_cloudwatch_metric_alarm")
          .map((change) => change.change.after.alarm_name)
          .sort(),
      ).to.deep.equal(
        Object.keys(ALARMS)
          .map((name) => `${STACK}-${name}`)
          .sort(),
      );
    });

    describe("each alarm reads metrics the function or AWS emits, with this stack's dimensions, and notifies the topic", () => {
      for (const [name, reads] of Object.entries(ALARMS)) {
        it(name, () => {
          const { after, after_unknown: unknown } = alarm(name).change;
          const queries = after.metric_query as Values[];
          const metrics = queries.flatMap((query, index) => (query.metric.length === 1 ? [{ ...query.metric[0], index }] : []));
          expect([...new Set(metrics.map((metric) => `${metric.namespace} ${metric.metric_name}`))].sort()).to.deep.equal(
            [...reads].sort(),
          );
          for (const metric of metrics) {
            const dimensionsUnknown = unknown.metric_query?.[metric.index]?.metric?.[0]?.dimensions === true;
            const dimensions = (dimensionsUnknown ? { ApiId: "(known after apply)" } : (metric.dimensions ?? {})) as Record<string, string>;
            expect(notEmitted(STACK, metric.namespace, metric.metric_name, Object.keys(dimensions)), name).to.equal(undefined);
            if ("FunctionName" in dimensions)
              expect(dimensions.FunctionName).to.equal(one("aws_lambda_function").change.after.function_name);
            if ("TableName" in dimensions) expect(dimensions.TableName).to.equal(one("aws_dynamodb_table").change.after.name);
            if ("Operation" in dimensions) expect(tableActions()).to.include(`dynamodb:${dimensions.Operation}`);
            expect(metric.period, "a period of 1 or 5 minutes").to.be.oneOf([60, 300]);
          }
          // One query is what the alarm compares: the metric itself, or an expression over the others' ids.
          const returned = queries.filter((query) => query.return_data);
          expect(returned, "exactly one query returns data").to.have.length(1);
          if (queries.length > 1) {
            const ids = new Set(queries.filter((query) => !query.return_data).map((query) => query.id as string));
            // Functions are upper case (IF, FILL, SUM); every lower-case name in the expression is a query's id.
            const used = new Set((returned[0]!.expression as string).match(/\b[a-z]\w*\b/g));
            expect([...used].sort(), "the expression reads exactly the other queries").to.deep.equal([...ids].sort());
          }
          expect(after.comparison_operator).to.equal("GreaterThanThreshold");
          expect(after.treat_missing_data, "chosen, not left to the default").to.be.oneOf(["notBreaching", "ignore", "breaching"]);
          expect(after.alarm_description).to.be.a("string").with.length.within(100, 1024);
          expect(after.alarm_description).to.include("First check:");
          expect(unknown.alarm_actions, "the topic's ARN, known after apply").to.equal(true);
          expect(unknown.ok_actions).to.equal(true);
        });
      }
    });

    it("sends every alarm and its recovery to the stack's one topic", () => {
      const config = moduleConfig(["monitoring"]).resources!.find((r) => r.type === "aws_cloudwatch_metric_alarm")!;
      expect(config.expressions.alarm_actions.references).to.include("aws_sns_topic.alarms.arn");
      expect(config.expressions.ok_actions.references).to.include("aws_sns_topic.alarms.arn");
      expect(managed("aws_sns_topic")).to.have.length(1);
    });

    it("sets the thresholds from the function's timeout, the concurrency limit and the login bands", () => {
      expect(alarm("lambda-duration-p99").change.after.threshold).to.equal(0.8 * 10 * 1000);
      expect(alarm("lambda-concurrency").change.after.threshold).to.equal(800);
      expect(alarm("failed-logins").change.after.threshold).to.equal(100);
      expect(alarm("lockouts").change.after.threshold).to.equal(10);
      expect(alarm("refresh-token-reuse").change.after.threshold).to.equal(0);
      const rate = (alarm("api-5xx-rate").change.after.metric_query as Values[]).find((query) => query.return_data)!;
      expect(rate.expression).to.equal("IF(requests >= 10, 100 * FILL(errors, 0) / requests, 0)");
      expect(alarm("api-5xx-rate").change.after.threshold).to.equal(5);
    });

    it("alarms on the table for every operation the function's role may send", () => {
      for (const name of ["dynamodb-throttles", "dynamodb-system-errors"]) {
        const operations = (alarm(name).change.after.metric_query as Values[])
          .filter((query) => query.metric.length === 1)
          .map((query) => `dynamodb:${query.metric[0].dimensions.Operation}`);
        expect(operations.sort(), name).to.deep.equal(sorted(tableActions()));
      }
    });

    it("writes the function's metrics to the namespace the alarms read: the stack's name", () => {
      const lambdaEnvironment = plan.configuration.root_module.module_calls!.lambda!.expressions.environment_variables!.references!;
      expect(lambdaEnvironment).to.include("local.metrics_namespace");
      const monitoringCall = plan.configuration.root_module.module_calls!.monitoring!;
      expect(monitoringCall.expressions.function_metrics!.references).to.include("local.metrics_namespace");
      expect(origins([], monitoringCall.expressions.api_id)).to.deep.equal(["module.http_api.aws_apigatewayv2_api.this.id"]);
    });

    it("encrypts the topic with a key of its own, which CloudWatch may use for this stack's alarms only (never alias/aws/sns)", () => {
      const topic = one("aws_sns_topic").change;
      expect(topic.after.name).to.equal(`${STACK}-alarms`);
      expect(topic.after_unknown.kms_master_key_id, "the module's key, known after apply").to.equal(true);
      const config = moduleConfig(["monitoring"]).resources!.find((r) => r.type === "aws_sns_topic")!;
      expect(config.expressions.kms_master_key_id.references).to.include("aws_kms_key.topic.arn");
      expect(byAddress("module.monitoring.aws_kms_key.topic").change.after).to.include({
        key_usage: "ENCRYPT_DECRYPT",
        customer_master_key_spec: "SYMMETRIC_DEFAULT",
        enable_key_rotation: true,
      });
      const statements = JSON.parse(stateValues("module.monitoring.data.aws_iam_policy_document.topic_key")!.json).Statement as Values[];
      const cloudwatch = statements.filter((statement) => statement.Principal?.Service !== undefined);
      expect(cloudwatch).to.deep.equal([
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: "*",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Condition: {
            ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:eu-west-1:${OFFLINE_ACCOUNT}:alarm:${STACK}-*` },
            StringEquals: {
              "aws:SourceAccount": OFFLINE_ACCOUNT,
              "kms:EncryptionContext:aws:sns:topicArn": `arn:aws:sns:eu-west-1:${OFFLINE_ACCOUNT}:${STACK}-alarms`,
            },
          },
        },
      ]);
      // The account keeps the key's administration, PutKeyPolicy included, so the policy can always change.
      const account = statements.find((statement) => statement.Sid === "AccountAdministersTheKey")!;
      expect(account.Principal).to.deep.equal({ AWS: `arn:aws:iam::${OFFLINE_ACCOUNT}:root` });
      expect(account.Action).to.include("kms:PutKeyPolicy");
    });

    it("subscribes nobody and traces nothing by default", () => {
      expect(managed("aws_sns_topic_subscription")).to.be.empty;
      expect(one("aws_lambda_function").change.after.tracing_config).to.deep.equal([{ mode: "PassThrough" }]);
      const statements = byAddress("module.lambda.data.aws_iam_policy_document.permissions").change.after.statement as Values[];
      expect(statements.map((statement) => statement.sid)).not.to.include("XRayTraces");
    });

    it("with alarm_email and tracing_enabled: an email subscription, active tracing and the role's two X-Ray actions (on *, as X-Ray requires)", async () => {
      const workspace = createWorkspace();
      try {
        const traced = (await offlinePlan(
          workspace,
          terraformEnv({ TF_VAR_alarm_email: "oncall@example.com", TF_VAR_tracing_enabled: "true" }),
        )) as Plan;
        const subscriptions = traced.resource_changes.filter((change) => change.type === "aws_sns_topic_subscription");
        expect(subscriptions.map((change) => change.change.after)).to.deep.equal([
          { ...subscriptions[0]!.change.after, protocol: "email", endpoint: "oncall@example.com" },
        ]);
        const fn = traced.resource_changes.find((change) => change.type === "aws_lambda_function")!;
        expect(fn.change.after.tracing_config).to.deep.equal([{ mode: "Active" }]);
        const permissions = traced.resource_changes.find(
          (change) => change.address === "module.lambda.data.aws_iam_policy_document.permissions",
        )!;
        const xray = (permissions.change.after.statement as Values[]).filter((statement) => statement.sid === "XRayTraces");
        expect(xray.map((statement) => ({ actions: sorted(statement.actions), resources: statement.resources }))).to.deep.equal([
          { actions: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], resources: ["*"] },
        ]);
        // HTTP APIs have no stage tracing: nothing else changes.
        expect(traced.resource_changes.find((change) => change.type === "aws_apigatewayv2_stage")!.change.after).to.deep.equal(
          one("aws_apigatewayv2_stage").change.after,
        );
      } finally {
        workspace.remove();
      }
    });
  });
});
