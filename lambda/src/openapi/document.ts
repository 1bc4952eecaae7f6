import { GATEWAY_MESSAGES, type GatewayStatus } from "../../shared/gateway-messages.js";
import { MAX_BODY_BYTES } from "../http/json-body.js";
import { PROBLEM_TYPE_PREFIX, PROBLEMS, type ProblemCode } from "../http/problem.js";
import type { Route, RouteTable } from "../router.js";
import type { JsonSchema } from "../schemas/json-schema.js";

/**
 * The OpenAPI 3.1 description of a route table: `make build` writes it to build/openapi.json, and
 * `GET /openapi.json` serves it with `servers` set to the issuer. Everything route-specific comes from the
 * table; what is said here holds for every route (problems, the gateway's own errors, the bearer scheme).
 */

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, Operation>> };
type Operation = Record<string, unknown> & { responses: Record<string, ResponseObject> };
interface ResponseObject {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: JsonSchema; example?: unknown }>;
}

export interface Server {
  url: string;
  description?: string;
  variables?: Record<string, { default: string; description: string }>;
}

export const PROBLEM_MEDIA_TYPE = "application/problem+json";
export const JSON_MEDIA_TYPE = "application/json";

/** The problems a route answers because of its kind, beyond those its handler declares. */
const BODY_PROBLEMS: ProblemCode[] = ["invalid_json", "validation_failed", "payload_too_large", "unsupported_media_type"];
const JWT_PROBLEMS: ProblemCode[] = ["invalid_token", "unavailable"];

/** The problem codes a route can answer, with their statuses in PROBLEMS. */
export function problemCodes(route: Route): ProblemCode[] {
  const codes = new Set<ProblemCode>(route.problems);
  if (route.body !== undefined) for (const code of BODY_PROBLEMS) codes.add(code);
  if (route.auth === "jwt") for (const code of JWT_PROBLEMS) codes.add(code);
  if (route.auth === "jwt" && route.scopes?.length) codes.add("insufficient_scope");
  codes.add("internal");
  return [...codes];
}

/** What the gateway may answer on a route instead of the function. */
function gatewayStatuses(route: Route, routeKey: string): GatewayStatus[] {
  const statuses: GatewayStatus[] = [413, 429, 431, 500, 503];
  // A path parameter that does not percent-decode.
  if (routeKey.includes("{")) statuses.push(400);
  if (route.auth === "jwt") statuses.push(401);
  if (route.auth === "jwt" && route.scopes?.length) statuses.push(403);
  return statuses;
}

const GATEWAY_WHY: Record<GatewayStatus, string> = {
  400: "the path does not percent-decode",
  401: "the JWT authorizer refused the token (missing, or failing its signature, `iss`, `aud`, `exp`, `nbf` or `iat`); with `www-authenticate`",
  403: "the token carries none of the route's scopes",
  404: "no route matches the method and path",
  413: "the body is over 10 MB",
  429: "throttled",
  431: "the request line and header values are over 10,240 bytes",
  500: "the function failed",
  503: "the function did not answer within 30 s",
};

const problemSchema: JsonSchema = {
  type: "object",
  description: "RFC 9457 problem details. `code` is stable and machine-readable; `type` is `urn:auth-api:problem:<code>`.",
  properties: {
    type: { type: "string", pattern: `^${PROBLEM_TYPE_PREFIX}[a-z_]+$` },
    title: { type: "string" },
    status: { type: "integer" },
    code: { type: "string", enum: Object.keys(PROBLEMS) },
    detail: { type: "string" },
    errors: {
      type: "array",
      description: "With `validation_failed` and `password_too_long`: every problem of the body or query.",
      items: {
        type: "object",
        properties: {
          field: { type: "string" },
          code: {
            type: "string",
            enum: [
              "required",
              "unexpected",
              "type",
              "empty",
              "too_short",
              "too_long",
              "format",
              "too_common",
              "unchanged",
              "out_of_range",
              "invalid",
            ],
          },
        },
        required: ["field", "code"],
        additionalProperties: false,
      },
    },
  },
  required: ["type", "title", "status", "code"],
  additionalProperties: false,
};

const gatewayErrorSchema: JsonSchema = {
  type: "object",
  description: "An error the gateway answers itself, before or instead of the function.",
  properties: { message: { type: "string" } },
  required: ["message"],
  additionalProperties: false,
};

const headers = {
  "www-authenticate": { description: "The bearer challenge (RFC 6750).", schema: { type: "string" } },
  "retry-after": { description: "Seconds to wait before trying again.", schema: { type: "string", pattern: "^[0-9]+$" } },
};

const DESCRIPTION = `A serverless auth API: register, log in, refresh and log out; change the password, delete the account, see and end sessions; administer users.

Generated from the route table that serves it, so it cannot drift from the routes.

**Requests.** Bodies are JSON objects with \`content-type: application/json\` (no charset, or \`charset=utf-8\`), at most ${MAX_BODY_BYTES / 1024} KiB, valid UTF-8 without U+FFFD, without duplicate keys, with exactly the fields their schema names. The rules a schema cannot say are in the fields' descriptions.

**Errors from the function** are RFC 9457 problem details (\`${PROBLEM_MEDIA_TYPE}\`) with a stable \`code\`: each response lists the codes it can carry. **Errors from the gateway** (API Gateway, and the local emulator) are \`{"message": ...}\` with \`${JSON_MEDIA_TYPE}\`: a request that matches no route is \`404 {"message":"Not Found"}\`, one whose path does not decode \`400 {"message":"Bad Request"}\`.`;

/** The document for `servers`: the issuer when the function serves it, a variable in build/openapi.json. */
export function openApiDocument(routes: RouteTable, servers: Server[]): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const [routeKey, route] of Object.entries(routes)) {
    const [method = "", path = ""] = routeKey.split(" ");
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = operation(routeKey, route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Serverless auth API",
      version: "1.0.0",
      description: DESCRIPTION,
      license: { name: "MIT", identifier: "MIT" },
    },
    servers,
    tags: TAGS.map(({ name, description }) => ({ name, description })),
    paths,
    components: {
      schemas: { Problem: problemSchema, GatewayError: gatewayErrorSchema },
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "An access token of a token response. The gateway's JWT authorizer checks it before the function runs, and the function again (its session and user must still hold). Required scopes are listed per operation; the token's `scope` claim must hold one of them.",
        },
      },
    },
  };
}

const TAGS: { name: string; description: string; has: (route: Route, method: string) => boolean }[] = [
  {
    name: "Administration",
    description: "Routes that need the `admin` scope.",
    has: (route) => route.auth === "jwt" && !!route.scopes?.length,
  },
  { name: "Account", description: "The caller's own account and sessions.", has: (route) => route.auth === "jwt" },
  { name: "Authentication", description: "Registration, tokens and password resets.", has: (_, method) => method !== "GET" },
  { name: "Metadata", description: "Health, discovery, keys and this document.", has: () => true },
];

function operation(routeKey: string, route: Route): Operation {
  const [method = ""] = routeKey.split(" ");
  const parameters = [
    ...Object.entries(route.path ?? {}).map(([name, schema]) => parameter(name, "path", schema, true)),
    ...Object.entries(route.query?.properties ?? {}).map(([name, schema]) =>
      parameter(name, "query", schema, route.query?.required?.includes(name) ?? false),
    ),
  ];
  return {
    operationId: operationId(routeKey),
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: [TAGS.find((tag) => tag.has(route, method))!.name],
    security: route.auth === "jwt" ? [{ bearer: [...(route.scopes ?? [])] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body === undefined
      ? {}
      : { requestBody: { required: true, content: { [JSON_MEDIA_TYPE]: { schema: route.body, example: exampleOf(route.body) } } } }),
    responses: responses(routeKey, route),
  };
}

function parameter(name: string, location: "path" | "query", { description, ...schema }: JsonSchema, required: boolean) {
  return { name, in: location, required, ...(description === undefined ? {} : { description }), schema };
}

/** `DELETE /sessions/{id}` is `deleteSessionsId`: stable, and the same in every build. */
export function operationId(routeKey: string): string {
  const words = routeKey
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return words.map((word, index) => (index === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join("");
}

/** An object's example made of its properties' first examples. */
function exampleOf(schema: JsonSchema): unknown {
  if (schema.examples?.length) return schema.examples[0];
  return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, property.examples?.[0]]));
}

function responses(routeKey: string, route: Route): Record<string, ResponseObject> {
  const answers: Record<string, ResponseObject> = {};
  for (const [status, success] of Object.entries(route.responses)) {
    answers[status] = {
      description: success.description,
      ...(success.body === undefined ? {} : { content: { [JSON_MEDIA_TYPE]: { schema: success.body } } }),
    };
  }
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of problemCodes(route)) byStatus.set(PROBLEMS[code].status, [...(byStatus.get(PROBLEMS[code].status) ?? []), code]);
  const gateway = gatewayStatuses(route, routeKey);
  const statuses = [...new Set<number>([...byStatus.keys(), ...gateway])].sort((a, b) => a - b);
  for (const status of statuses) {
    const codes = byStatus.get(status) ?? [];
    const fromGateway = (gateway as number[]).includes(status);
    const why = [
      ...codes.map((code) => `\`${code}\`: ${PROBLEMS[code].title.toLowerCase()}`),
      ...(fromGateway
        ? [`the gateway's \`{"message":"${GATEWAY_MESSAGES[status as GatewayStatus]}"}\`: ${GATEWAY_WHY[status as GatewayStatus]}`]
        : []),
    ];
    const content: NonNullable<ResponseObject["content"]> = {};
    if (codes.length > 0) content[PROBLEM_MEDIA_TYPE] = { schema: problemFor(status, codes), example: problemExample(codes[0]!) };
    if (fromGateway) {
      content[JSON_MEDIA_TYPE] = {
        schema: { $ref: "#/components/schemas/GatewayError" },
        example: { message: GATEWAY_MESSAGES[status as GatewayStatus] },
      };
    }
    const header = status === 401 || status === 403 ? "www-authenticate" : status === 429 || status === 503 ? "retry-after" : undefined;
    answers[String(status)] = {
      description: `${why.join("; ")}.`.replace(/^./, (first) => first.toUpperCase()),
      ...(header === undefined ? {} : { headers: { [header]: headers[header] } }),
      content,
    };
  }
  return answers;
}

function problemFor(status: number, codes: ProblemCode[]): JsonSchema {
  return {
    allOf: [{ $ref: "#/components/schemas/Problem" }, { properties: { status: { const: status }, code: { enum: codes } } }],
  };
}

function problemExample(code: ProblemCode) {
  return { type: PROBLEM_TYPE_PREFIX + code, title: PROBLEMS[code].title, status: PROBLEMS[code].status, code };
}
