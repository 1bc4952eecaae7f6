/**
 * The signing key set in Terraform, offline. make rotate-key AWS=1 and make retire-keys AWS=1 run against a
 * workspace copy: each apply is a plan whose result is seeded as the state (no AWS), each plan is reviewed,
 * and the JWKS the rotation checks is the one the function's own code makes from the environment Terraform
 * gives it. Then the environment at the map's limit of keys, and a stack applied before key sets.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { expect } from "chai";
import { createKmsSigner } from "../../lambda/src/auth/kms-signer.js";
import { composeServices } from "../../lambda/src/compose.js";
import { loadConfig } from "../../lambda/src/config.js";
import { jwks } from "../../lambda/src/handlers/well-known.js";
import type { RouteInput } from "../../lambda/src/router.js";
import { type KeySet, parseKeySet, serialize } from "../../scripts/signing-keys/key-set.js";
import { type Clock, RETIRE_AFTER_MS, retireKeys, rotateKey } from "../../scripts/signing-keys/rotation.js";
import { signingKeyAddress, terraformTarget } from "../../scripts/signing-keys/terraform-target.js";
import { createWorkspace, terraform, terraformEnv, type Workspace } from "../../scripts/terraform/lib/terraform.js";
import { appliedState, planWith, stateAfter } from "../plan-review/fixtures/generate.js";
import type { PlanLike, ProviderSchemas, StateV4 } from "../plan-review/fixtures/seed-state.js";
import { runTool } from "../plan-review/support.js";
import { requireTerraform } from "./support.js";

const KEY_SET_FILE = "signing-keys.auto.tfvars.json";
const KEY = signingKeyAddress;
const ALIAS = (name: string) => `module.signing_key["${name}"].aws_kms_alias.this`;

type Attributes = Record<string, any>;
const resourceIn = (state: StateV4, type: string): Attributes => state.resources.find((r) => r.type === type)!.instances[0]!.attributes;
const signingKeyArn = (state: StateV4, name: string): string =>
  String(
    state.resources.find((r) => r.type === "aws_kms_key" && r.module === `module.signing_key["${name}"]`)!.instances[0]!.attributes.arn,
  );
const environmentIn = (state: StateV4): Record<string, string> => resourceIn(state, "aws_lambda_function").environment[0].variables;
/** Each resource the plan changes, with its actions, for the ones that are not no-ops. */
const changes = (plan: PlanLike) =>
  Object.fromEntries(
    plan.resource_changes
      .filter((change) => change.mode === "managed" && change.change.actions.some((action) => action !== "no-op"))
      .map((change) => [change.address, change.change.actions.join("/")]),
  );
const review = (plan: PlanLike, ...allow: string[]) =>
  runTool([...allow.flatMap((address) => ["--allow-destroy", address]), "-"], JSON.stringify(plan));

/** The function's JWKS for an environment: its own configuration loader, key set and handler. */
async function functionJwks(environment: Record<string, string>): Promise<unknown> {
  const config = loadConfig(environment);
  if (config.signingKey.kind !== "kms") throw new Error("the deployed function signs with KMS");
  const services = composeServices({
    client: {} as never,
    tableName: config.tableName,
    issuer: config.issuer,
    audience: config.audience,
    bcryptCost: config.bcryptCost,
    signer: createKmsSigner(
      { send: async () => expect.fail("the JWKS never calls KMS") },
      config.signingKey.keyId,
      config.signingKey.publicKey,
    ),
    otherPublicKeys: config.otherPublicKeys,
  });
  return JSON.parse((await jwks({ services } as RouteInput)).body!);
}

/** A workspace planned once with `keys` (which initialises it), and the provider's schemas for seeding states. */
async function prepare(workspace: Workspace, keys: Record<string, unknown>): Promise<ProviderSchemas> {
  writeFileSync(join(workspace.dir, KEY_SET_FILE), serialize(parseKeySet(keys, KEY_SET_FILE)));
  await planWith(workspace, undefined, {});
  const { stdout } = await terraform(["providers", "schema", "-json"], { cwd: workspace.dir, env: terraformEnv() });
  return JSON.parse(stdout) as ProviderSchemas;
}

describe("terraform: the signing key set, rotated and retired offline (make rotate-key AWS=1, make retire-keys AWS=1)", function () {
  this.timeout(600_000);
  let workspace: Workspace;
  let schemas: ProviderSchemas;
  let state: StateV4;
  let server: Server;
  let apiUrl: string;
  const plans: PlanLike[] = [];
  /** The destruction each apply was allowed. */
  const allowances: string[][] = [];
  const keysFile = () => join(workspace.dir, KEY_SET_FILE);
  const writeKeys = (keys: Record<string, unknown>) => writeFileSync(keysFile(), serialize(parseKeySet(keys, KEY_SET_FILE)));

  const clock = { now: Date.UTC(2026, 4, 22, 12) };
  const testClock: Clock = {
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
    },
  };

  before(async function () {
    requireTerraform(this);
    workspace = createWorkspace();
    schemas = await prepare(workspace, { initial: { state: "active" } });
    state = await appliedState(workspace, schemas, {});
    // What API Gateway would answer for GET /.well-known/jwks.json: the function as the applied state configures it.
    server = createServer((_request, response) => {
      functionJwks(environmentIn(state)).then(
        (body) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body)),
        (error: Error) => response.writeHead(500).end(error.message),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server?.close();
    workspace?.remove();
  });

  const target = () =>
    terraformTarget({
      clock: testClock,
      log: () => {},
      file: keysFile(),
      deploy: async (allowDestroy) => {
        const plan = await planWith(workspace, state, {});
        // What stack.ts apply requires before it applies: the review passes with only the dropped keys allowed.
        const reviewed = review(plan, ...allowDestroy);
        expect(reviewed.status, reviewed.stdout + reviewed.stderr).to.equal(0);
        allowances.push(allowDestroy);
        plans.push(plan);
        state = await stateAfter(workspace, schemas, {}, plan, state);
      },
      outputs: async () => ({ apiUrl, publicKeys: state.outputs.signing_public_keys!.value as Record<string, string> }),
    });
  const keysNow = (): KeySet => parseKeySet(JSON.parse(readFileSync(keysFile(), "utf8")).signing_keys, KEY_SET_FILE);

  it('moves the key of a stack applied before key sets to module.signing_key["initial"], keeping it, its ARN and the function as they are; only the alias is renamed', async () => {
    // The state the configuration before key sets left: the key's module without an index, its old alias.
    const legacy = structuredClone(state);
    for (const resource of legacy.resources.filter((r) => r.module === 'module.signing_key["initial"]')) {
      resource.module = "module.signing_key";
      if (resource.type === "aws_kms_alias") {
        Object.assign(resource.instances[0]!.attributes, {
          name: "alias/auth-api-token-signing",
          id: "alias/auth-api-token-signing",
          arn: "arn:aws:kms:eu-west-1:123456789012:alias/auth-api-token-signing",
        });
      }
    }
    const plan = await planWith(workspace, legacy, {});
    const key = plan.resource_changes.find((change) => change.address === KEY("initial")) as PlanLike["resource_changes"][number] & {
      previous_address?: string;
    };
    expect({ from: key.previous_address, actions: key.change.actions }).to.deep.equal({
      from: "module.signing_key.aws_kms_key.this",
      actions: ["no-op"],
    });
    expect(changes(plan)).to.deep.equal({ [ALIAS("initial")]: "delete/create" });
    expect(review(plan).status, "an alias is no protected resource").to.equal(0);
  });

  it("rotate-key publishes a new KMS key first: created with its alias, its public half in OTHER_PUBLIC_KEYS, its ARN in the role's policy", async () => {
    const initialArn = signingKeyArn(state, "initial");
    await rotateKey(target(), testClock, () => {});
    const [publish, activate] = plans;
    expect(changes(publish!)).to.deep.equal({
      [KEY("2026-05-22")]: "create",
      [ALIAS("2026-05-22")]: "create",
      "module.lambda.aws_lambda_function.this": "update",
      "module.lambda.aws_iam_role_policy.this": "update",
    });
    expect(review(publish!).status, "nothing protected is destroyed").to.equal(0);
    // Then the new key signs: the function's configuration changes, nothing else.
    expect(changes(activate!)).to.deep.equal({ "module.lambda.aws_lambda_function.this": "update" });

    const environment = environmentIn(state);
    const newArn = signingKeyArn(state, "2026-05-22");
    expect(environment.KMS_KEY_ID).to.equal(newArn);
    expect(environment.OTHER_PUBLIC_KEYS).to.equal((state.outputs.signing_public_keys!.value as Record<string, string>).initial);
    const policy = JSON.parse(resourceIn(state, "aws_iam_role_policy").policy);
    const signing = policy.Statement.find((statement: Attributes) => statement.Sid === "SigningKey");
    expect([signing.Resource].flat().sort()).to.deep.equal([initialArn, newArn].sort());
    expect(keysNow()).to.deep.include({ initial: { state: "retiring", since: keysNow().initial!.since } });
    expect(keysNow()["2026-05-22"]!.state).to.equal("active");
  });

  it("the function then publishes both keys, the new one first, and accepts no KMS key it was not given", async () => {
    const body = (await functionJwks(environmentIn(state))) as { keys: { kid: string }[] };
    expect(body.keys).to.have.length(2);
    expect(new Set(body.keys.map((key) => key.kid)).size, "two different keys (offline-aws.ts gives each ARN its own)").to.equal(2);
  });

  it("retire-keys refuses before the retiring key's tokens have expired, then deletes its KMS key: a protected deletion the review flags", async () => {
    const planned = plans.length;
    await retireKeys(target(), testClock, () => {}).then(
      () => expect.fail("retired early"),
      (error: Error) => expect(error.message).to.include("Not yet"),
    );
    expect(plans.length, "no apply").to.equal(planned);
    clock.now += RETIRE_AFTER_MS;
    await retireKeys(target(), testClock, () => {});
    const retire = plans.at(-1)!;
    expect(changes(retire)).to.deep.equal({
      [KEY("initial")]: "delete",
      [ALIAS("initial")]: "delete",
      "module.lambda.aws_lambda_function.this": "update",
      "module.lambda.aws_iam_role_policy.this": "update",
    });
    const flagged = review(retire);
    expect(flagged.status, flagged.stdout + flagged.stderr).to.equal(2);
    expect(flagged.stdout).to.include(KEY("initial"));
    expect(review(retire, 'module.signing_key["initial"]').status, "allowed with the allow-destroy label").to.equal(0);
    expect(allowances.at(-1), "make retire-keys AWS=1 allows exactly the dropped key's destruction").to.deep.equal([KEY("initial")]);
    expect(environmentIn(state)).not.to.have.property("OTHER_PUBLIC_KEYS");
    expect(Object.keys(keysNow())).to.deep.equal(["2026-05-22"]);
  });

  it("keeps the function's environment within Lambda's 4 KB with the most keys the map allows, a kilobyte to spare", async () => {
    writeKeys({
      a: { state: "retiring", since: "2026-05-22T12:00:00Z" },
      b: { state: "retiring", since: "2026-05-22T12:00:00Z" },
      c: { state: "active", since: "2026-05-22T12:00:00Z" },
      d: { state: "pending", since: "2026-05-22T12:00:00Z" },
    });
    const full = await appliedState(workspace, schemas, {}, state);
    const environment = environmentIn(full);
    expect(environment.OTHER_PUBLIC_KEYS!.split(",")).to.have.length(3);
    // Lambda counts every name and value; their JSON counts a little more (quotes, colons, commas).
    const size = Buffer.byteLength(JSON.stringify(environment));
    console.log(`      (the environment with 4 keys: ${size} bytes of 4,096)`);
    expect(size).to.be.at.most(4096 - 1024);
    expect((await functionJwks(environment)) as { keys: unknown[] })
      .to.have.property("keys")
      .with.length(4);
  });
});
