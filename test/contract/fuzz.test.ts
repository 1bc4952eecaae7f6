/**
 * A fuzz pass driven by the description itself: for every operation of build/openapi.json, requests made
 * from its schemas (valid bodies, parameters and tokens, and each of them broken: a field missing, one
 * extra, one of another value) go over real HTTP through a local stack. The shared HTTP helper checks every
 * answer against the document (test/support/contract.ts); here, no answer may be a 5xx.
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import fc from "fast-check";
import type { JsonSchema } from "../../lambda/src/schemas/json-schema.js";
import { grantAdmin } from "../support/admins.js";
import { postJson, request } from "../support/http.js";
import { startTestStack } from "../support/stack.js";
import { captureFunctionLogs } from "../support/stdout.js";

const SEED = 20261202;
const RUNS_PER_OPERATION = 12;
const PASSWORD = "fuzzing the contract";

interface Operation {
  method: string;
  path: string;
  security: { bearer?: string[] }[];
  parameters?: { name: string; in: "path" | "query"; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: { "application/json": { schema: JsonSchema } } };
}

const document = JSON.parse(readFileSync("build/openapi.json", "utf8")) as {
  paths: Record<string, Record<string, Omit<Operation, "method" | "path">>>;
};
const operations: Operation[] = Object.entries(document.paths).flatMap(([path, byMethod]) =>
  Object.entries(byMethod).map(([method, operation]) => ({ ...operation, method: method.toUpperCase(), path })),
);

/** Values a schema accepts: its examples mostly, else values of its type within its bounds. */
function valid(schema: JsonSchema): fc.Arbitrary<unknown> {
  const examples = schema.examples?.length ? [fc.constantFrom(...schema.examples)] : [];
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  switch (schema.type) {
    case "string":
      return fc.oneof(
        ...examples,
        fc.string({ minLength: (schema.minLength as number) ?? 0, maxLength: Math.min((schema.maxLength as number) ?? 40, 40) }),
      );
    case "integer":
      return fc.oneof(...examples, fc.integer({ min: (schema.minimum as number) ?? -1000, max: (schema.maximum as number) ?? 1000 }));
    case "array":
      return schema.items?.enum ? fc.subarray([...schema.items.enum]) : fc.array(valid(schema.items ?? {}), { maxLength: 3 });
    case "object": {
      const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, valid(property)]));
      return fc.record(properties, { requiredKeys: [...(schema.required ?? [])] as never[] });
    }
    default:
      return fc.oneof(...examples, fc.jsonValue());
  }
}

/** An object schema's value, valid or broken in one way: a field missing, an extra one, or one of any JSON value. */
function bodyOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  const names = Object.keys(schema.properties ?? {});
  const base = valid(schema) as fc.Arbitrary<Record<string, unknown>>;
  return fc.oneof(
    { arbitrary: base, weight: 3 },
    fc
      .tuple(base, fc.constantFrom(...names))
      .map(([value, name]) => Object.fromEntries(Object.entries(value).filter(([key]) => key !== name))),
    fc.tuple(base, fc.string({ minLength: 1, maxLength: 10 }), fc.jsonValue()).map(([value, key, extra]) => ({ [key]: extra, ...value })),
    fc.tuple(base, fc.constantFrom(...names), fc.jsonValue()).map(([value, name, other]) => ({ ...value, [name]: other })),
    fc.jsonValue(),
  );
}

/** A parameter's value as sent: valid, or any string. */
const parameterOf = (schema: JsonSchema, extra: string[]) =>
  fc.oneof(
    { arbitrary: valid(schema).map(String), weight: 3 },
    fc.string({ maxLength: 40 }),
    ...(extra.length ? [fc.constantFrom(...extra)] : []),
  );

describe("schema-driven fuzzing of every operation, over HTTP through the local stack", function () {
  this.timeout(600_000);
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  let adminToken: string;
  let adminId: string;
  captureFunctionLogs();

  const register = async (username: string) =>
    (await postJson(`${stack.url}/register`, { username, password: PASSWORD })).json.id as string;
  const login = async (username: string) =>
    (await postJson(`${stack.url}/login`, { username, password: PASSWORD })).json.access_token as string;

  before(async () => {
    stack = await startTestStack();
    adminId = await register("contract.admin");
    await grantAdmin(stack.dynamodbEndpoint, stack.tableName, "contract.admin");
    adminToken = await login("contract.admin");
  });
  after(() => stack?.stop());

  operations.forEach((operation, index) => {
    it(`${operation.method} ${operation.path}: only documented statuses, never a 5xx`, async () => {
      // A user of its own: the operation may end its sessions, delete it or lock it out. The admin's token goes
      // only to the admin routes, which cannot end it (the last admin is never disabled or demoted).
      const username = `contract.${index}`;
      const userIds = [await register(username), adminId];
      const tokens = { user: await login(username), admin: adminToken };
      const path = (operation.parameters ?? []).filter((parameter) => parameter.in === "path");
      const query = (operation.parameters ?? []).filter((parameter) => parameter.in === "query");
      const body = operation.requestBody?.content["application/json"].schema;
      const scopes = operation.security[0]?.bearer;
      const statuses: number[] = [];
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(...path.map((parameter) => parameterOf(parameter.schema, userIds))),
          fc.record(Object.fromEntries(query.map((parameter) => [parameter.name, parameterOf(parameter.schema, [])])), {
            requiredKeys: [],
          }),
          body === undefined ? fc.constant(undefined) : bodyOf(body),
          fc.constantFrom<"user" | "admin" | "none">(
            ...(scopes === undefined
              ? (["none"] as const)
              : scopes.length > 0
                ? (["admin", "admin", "user", "none"] as const)
                : (["user", "user", "none"] as const)),
          ),
          async (values, parameters, value, who) => {
            let target = operation.path;
            path.forEach((parameter, index) => {
              target = target.replace(`{${parameter.name}}`, encodeURIComponent(values[index]!));
            });
            const search = new URLSearchParams(parameters as Record<string, string>).toString();
            const reply = await request(`${stack.url}${target}${search ? `?${search}` : ""}`, {
              method: operation.method,
              headers: {
                ...(value === undefined ? {} : { "content-type": "application/json" }),
                ...(who === "none" ? {} : { authorization: `Bearer ${tokens[who]}` }),
              },
              ...(value === undefined ? {} : { body: JSON.stringify(value) }),
            });
            statuses.push(reply.status);
            expect(reply.status, reply.text).to.be.below(500);
          },
        ),
        { seed: SEED, numRuns: RUNS_PER_OPERATION },
      );
      console.log(`      (statuses: ${[...new Set(statuses)].sort().join(", ")})`);
    });
  });
});
