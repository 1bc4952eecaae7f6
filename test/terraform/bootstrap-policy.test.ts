/**
 * terraform/bootstrap planned offline, its two roles checked: the plan role reads configuration and the
 * state and nothing else, the apply role can do everything each resource type of the stack's own plan needs
 * (the table in resource-actions.ts) with no wildcard action, and both trust exactly one kind of GitHub job.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { createWorkspace, offlinePlan, REPO_ROOT, terraformEnv } from "../../scripts/terraform/lib/terraform.js";
import { DATA_READS, RESOURCE_ACTIONS, STATE_ACTIONS } from "./resource-actions.js";
import { requireTerraform } from "./support.js";

const REPOSITORY = "acme/auth-api";
const ACCOUNT = "123456789012";
const BUCKET = `auth-api-tfstate-${ACCOUNT}-eu-west-1`;
const STATE_OBJECT = `arn:aws:s3:::${BUCKET}/auth-api/terraform.tfstate`;
const FUNCTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/auth-api`;

interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: string | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}
interface PlanJson {
  resource_changes: { address: string; mode: string; type: string; change: { actions: string[]; after: Record<string, any> } }[];
  prior_state?: { values?: { root_module?: { resources?: { address: string; values: Record<string, any> }[] } } };
  output_changes: Record<string, { after: Record<string, unknown> | null; after_unknown: Record<string, unknown> | boolean }>;
  configuration: { root_module: { outputs?: Record<string, unknown> } };
}

const list = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());

describe("terraform/bootstrap: the state bucket and the two GitHub roles, planned offline", function () {
  this.timeout(240_000);
  let bootstrap: PlanJson;
  let stack: PlanJson;

  before(async function () {
    requireTerraform(this);
    const workspace = createWorkspace();
    try {
      bootstrap = (await offlinePlan(workspace, terraformEnv({ TF_VAR_github_repository: REPOSITORY }), "bootstrap")) as PlanJson;
      // With every optional resource the apply role may have to manage: the alarm email's subscription.
      stack = (await offlinePlan(workspace, terraformEnv({ TF_VAR_alarm_email: "oncall@example.com" }))) as PlanJson;
    } finally {
      workspace.remove();
    }
  });

  const documentOf = (name: string): Statement[] => {
    const read = bootstrap.prior_state?.values?.root_module?.resources?.find((r) => r.address === `data.aws_iam_policy_document.${name}`);
    expect(read, `data.aws_iam_policy_document.${name} is known at plan time`).to.exist;
    return JSON.parse(read!.values.json).Statement as Statement[];
  };
  /** The actions a document allows: it may only allow, and only by naming each action. */
  const effectiveActions = (statements: Statement[]) => {
    for (const statement of statements) {
      expect(statement.Effect, statement.Sid).to.equal("Allow");
      expect(statement.NotAction, statement.Sid).to.equal(undefined);
      expect(statement.NotResource, statement.Sid).to.equal(undefined);
    }
    return new Set(statements.flatMap((statement) => list(statement.Action)));
  };
  const stackTypes = () => [...new Set(stack.resource_changes.map((change) => change.type))].sort();
  const needed = (columns: ("read" | "create" | "update" | "destroy")[]) =>
    new Set(stackTypes().flatMap((type) => columns.flatMap((column) => RESOURCE_ACTIONS[type]?.[column] ?? [])));

  it("has a row in resource-actions.ts for every resource type the stack's plan has", () => {
    for (const type of stackTypes()) expect(RESOURCE_ACTIONS, `add ${type} to test/terraform/resource-actions.ts`).to.have.property(type);
  });

  describe("the plan role (pull requests: runs any collaborator's code)", () => {
    it("may read everything terraform plan refreshes, and the state", () => {
      const actions = effectiveActions(documentOf("plan"));
      for (const action of [...needed(["read"]), ...STATE_ACTIONS.plan]) expect([...actions], action).to.include(action);
    });

    it("reads no item, object, log or secret data: none of the data reads, and s3:GetObject on the state object only", () => {
      const statements = documentOf("plan");
      const actions = effectiveActions(statements);
      for (const action of DATA_READS) expect([...actions], action).not.to.include(action);
      const objectReads = statements.filter((statement) => list(statement.Action).includes("s3:GetObject"));
      expect(objectReads.flatMap((statement) => list(statement.Resource))).to.deep.equal([STATE_OBJECT]);
    });

    it("writes nothing: every action is a Get, List or Describe (or API Gateway's GET)", () => {
      for (const action of effectiveActions(documentOf("plan"))) {
        expect(action).to.satisfy((name: string) => name === "apigateway:GET" || /^[a-z0-9-]+:(Get|List|Describe)[A-Za-z]+$/.test(name));
      }
    });
  });

  describe("the apply role (the production environment)", () => {
    it("may do every action each resource type of the stack needs to be read, created, updated and destroyed, and the state's", () => {
      const actions = effectiveActions(documentOf("apply"));
      const missing = [...needed(["read", "create", "update", "destroy"]), ...STATE_ACTIONS.apply].filter((action) => !actions.has(action));
      expect(missing).to.deep.equal([]);
    });

    it("fits IAM's limit for a role's inline policies: 10,240 characters, whitespace not counted", () => {
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
      for (const role of ["plan", "apply"]) {
        const read = bootstrap.prior_state?.values?.root_module?.resources?.find(
          (r) => r.address === `data.aws_iam_policy_document.${role}`,
        );
        expect(read!.values.json.replace(/\s/g, "").length, role).to.be.below(10_240);
      }
    });

    it("names every action: no * anywhere in an action", () => {
      for (const action of effectiveActions(documentOf("apply"))) expect(action).to.match(/^[a-z0-9-]+:[A-Za-z]+$|^apigateway:[A-Z]+$/);
    });

    it("passes only the function's role, only to Lambda, and changes no other role (never its own)", () => {
      const statements = documentOf("apply");
      for (const statement of statements.filter((s) => list(s.Action).some((action) => action.startsWith("iam:")))) {
        expect(list(statement.Resource), statement.Sid).to.deep.equal([FUNCTION_ROLE]);
      }
      const pass = statements.filter((s) => list(s.Action).includes("iam:PassRole"));
      expect(pass).to.have.length(1);
      expect(list(pass[0]!.Action)).to.deep.equal(["iam:PassRole"]);
      expect(pass[0]!.Condition).to.deep.equal({ StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } });
    });

    it("reads and writes the state object and its lock file, nothing else of the bucket", () => {
      const objects = documentOf("apply")
        .filter((s) => list(s.Action).some((action) => /^s3:(Get|Put|Delete)Object$/.test(action)))
        .flatMap((s) => list(s.Resource));
      expect(objects.sort()).to.deep.equal([STATE_OBJECT, `${STATE_OBJECT}.tflock`]);
    });
  });

  describe("trust", () => {
    for (const [role, sub] of [
      ["plan", `repo:${REPOSITORY}:pull_request`],
      ["apply", `repo:${REPOSITORY}:environment:production`],
    ] as const) {
      it(`the ${role} role: GitHub's OIDC provider only, aud and sub pinned exactly (${sub})`, () => {
        expect(documentOf(`trust["${role}"]`)).to.deep.equal([
          {
            Effect: "Allow",
            Action: "sts:AssumeRoleWithWebIdentity",
            Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
            Condition: {
              StringEquals: {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": sub,
              },
            },
          },
        ]);
      });
    }

    it("creates the OIDC provider for GitHub's issuer with the audience sts.amazonaws.com", () => {
      const provider = bootstrap.resource_changes.find((change) => change.type === "aws_iam_openid_connect_provider")!;
      expect(provider.change.after).to.include({ url: "https://token.actions.githubusercontent.com" });
      expect(provider.change.after.client_id_list).to.deep.equal(["sts.amazonaws.com"]);
    });

    it("attaches each document inline to its role, and nothing else to any role", () => {
      const types = bootstrap.resource_changes.map((change) => change.type);
      for (const type of ["aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_policy", "aws_iam_user"]) {
        expect(types, type).not.to.include(type);
      }
      expect(types.filter((type) => type === "aws_iam_role_policy")).to.have.length(2);
    });
  });

  describe("the state bucket", () => {
    const planned = (type: string) => bootstrap.resource_changes.find((change) => change.type === type)!.change.after;

    it("is versioned, encrypted, ACL-free and blocks every kind of public access", () => {
      expect(planned("aws_s3_bucket")).to.include({ bucket: BUCKET, force_destroy: false });
      expect(planned("aws_s3_bucket_versioning").versioning_configuration).to.deep.include({ status: "Enabled" });
      expect(
        planned("aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default[0].sse_algorithm,
      ).to.equal("AES256");
      expect(planned("aws_s3_bucket_public_access_block")).to.include({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(planned("aws_s3_bucket_ownership_controls").rule[0].object_ownership).to.equal("BucketOwnerEnforced");
    });

    it("refuses every request without TLS", () => {
      expect(documentOf("state_bucket")).to.deep.equal([
        {
          Sid: "DenyWithoutTLS",
          Effect: "Deny",
          Action: "s3:*",
          Principal: "*",
          Resource: [`arn:aws:s3:::${BUCKET}/*`, `arn:aws:s3:::${BUCKET}`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]);
    });
  });

  it("outputs the repository variables the terraform workflow reads, by name", () => {
    const workflow = readFileSync(join(REPO_ROOT, ".github/workflows/terraform.yml"), "utf8");
    const read = [...new Set([...workflow.matchAll(/\bvars\.([A-Z_]+)/g)].map((match) => match[1]!))].sort();
    // Known now (region, bucket, key) or after apply (the role ARNs).
    const { after, after_unknown: unknown } = bootstrap.output_changes.repository_variables!;
    const variables = Object.keys({ ...after, ...(typeof unknown === "object" ? unknown : {}) }).sort();
    expect(variables).to.deep.equal(read);
    for (const name of ["state_bucket", "plan_role_arn", "apply_role_arn"])
      expect(bootstrap.configuration.root_module.outputs).to.have.property(name);
  });
});
