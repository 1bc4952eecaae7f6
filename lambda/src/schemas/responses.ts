import { ADMIN } from "../auth/roles.js";
import { type JsonSchema, object } from "./json-schema.js";

/** The bodies the function answers with, for build/openapi.json and the contract tests that check every response against it. */

const EXAMPLE_ID = "0b9b4f6e-3d5c-4a8e-9f1a-2c3d4e5f6a7b";
const EXAMPLE_TIME = "2026-05-22T09:30:00.000Z";

const userId: JsonSchema = { type: "string", format: "uuid", description: "The user's id, fixed at registration; `sub` of its tokens." };
const time = (description: string): JsonSchema => ({ type: "string", format: "date-time", description: `${description} (ISO 8601, UTC).` });
const canonicalUsername: JsonSchema = { type: "string", description: "The canonical username (NFKC, lower case)." };

export const userProfile: JsonSchema = {
  ...object({ id: userId, username: canonicalUsername, createdAt: time("When the user registered") }),
  examples: [{ id: EXAMPLE_ID, username: "alice", createdAt: EXAMPLE_TIME }],
};

const userSummaryShape = object({
  id: userId,
  username: canonicalUsername,
  createdAt: time("When the user registered"),
  roles: { type: "array", items: { type: "string", enum: [ADMIN] }, uniqueItems: true },
  disabled: { type: "boolean" },
});
const EXAMPLE_SUMMARY = { id: EXAMPLE_ID, username: "alice", createdAt: EXAMPLE_TIME, roles: [ADMIN], disabled: false };

export const userSummary: JsonSchema = { ...userSummaryShape, examples: [EXAMPLE_SUMMARY] };

export const userPage: JsonSchema = {
  ...object({
    users: { type: "array", items: userSummaryShape },
    next_cursor: {
      type: ["string", "null"],
      description: "The cursor of the next page; null on the last one. A page may be short, even empty, before it.",
    },
  }),
  examples: [{ users: [EXAMPLE_SUMMARY], next_cursor: null }],
};

export const tokenResponse: JsonSchema = {
  ...object({
    access_token: {
      type: "string",
      description: "An RS256 JWT: `iss`, `aud`, `sub`, `iat`, `exp`, `jti`, `preferred_username`, `sid`, `scope`.",
    },
    token_type: { const: "Bearer" },
    expires_in: { type: "integer", minimum: 1, maximum: 900, description: "Seconds; less than 900 when the session ends sooner." },
    refresh_token: { type: "string", description: "Opaque; rotated by each use." },
  }),
  description: "Sent with `cache-control: no-store`.",
  examples: [
    {
      access_token: "eyJhbGciOiJSUzI1NiIsImtpZCI6ImV4YW1wbGUifQ.eyJzdWIiOiJleGFtcGxlIn0.c2lnbmF0dXJl",
      token_type: "Bearer",
      expires_in: 900,
      refresh_token: "kB0hQ7d4rYc9mV2lP8xN1sW6tZ3uA5eF0gH2jK4oL7",
    },
  ],
};

export const sessionList: JsonSchema = {
  ...object({
    sessions: {
      type: "array",
      description: "Live sessions only, newest first.",
      items: object({
        id: { type: "string", description: "The session's public handle, the `sid` claim; no credential." },
        createdAt: time("When the login that started it happened"),
        lastUsedAt: time("Its last login or refresh"),
        expiresAt: time("When it ends, 30 days after it started, however often it is refreshed"),
        current: { type: "boolean", description: "The session of the access token used." },
      }),
    },
  }),
  examples: [
    {
      sessions: [
        {
          id: "Yk3x9Qp2Lm8Rt5Vw1Za4Bc",
          createdAt: EXAMPLE_TIME,
          lastUsedAt: EXAMPLE_TIME,
          expiresAt: "2026-06-21T09:30:00.000Z",
          current: true,
        },
      ],
    },
  ],
};

export const resetCode: JsonSchema = {
  ...object({
    reset_code: { type: "string", description: "Single use; replaces any earlier code of the user." },
    expires_in: { const: 3600, description: "Seconds." },
  }),
  examples: [{ reset_code: "Q2hhbmdlIG1lIHRvIGEgcmVhbCBjb2Rl", expires_in: 3600 }],
};

export const health: JsonSchema = { ...object({ status: { const: "ok" } }), examples: [{ status: "ok" }] };

const EXAMPLE_ISSUER = "https://abc123.execute-api.eu-west-1.amazonaws.com";

export const openidConfiguration: JsonSchema = {
  ...object({
    issuer: { type: "string", format: "uri", description: "The API's base URL; `iss` of every token." },
    jwks_uri: { type: "string", format: "uri" },
    response_types_supported: { type: "array", items: { type: "string" } },
    subject_types_supported: { type: "array", items: { type: "string" } },
    id_token_signing_alg_values_supported: { type: "array", items: { const: "RS256" } },
    claims_supported: { type: "array", items: { type: "string" } },
  }),
  description: "OIDC discovery, as the gateway's JWT authorizer reads it. Cacheable (`cache-control: public, max-age=300`).",
  examples: [
    {
      issuer: EXAMPLE_ISSUER,
      jwks_uri: `${EXAMPLE_ISSUER}/.well-known/jwks.json`,
      response_types_supported: ["token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      claims_supported: ["iss", "aud", "sub", "iat", "exp", "jti", "preferred_username", "sid", "scope"],
    },
  ],
};

export const jwks: JsonSchema = {
  ...object({
    keys: {
      type: "array",
      minItems: 1,
      description: "Every key of the signing key set, the one that signs first.",
      items: object({
        kty: { const: "RSA" },
        n: { type: "string" },
        e: { type: "string" },
        kid: { type: "string", description: "The key's RFC 7638 thumbprint." },
        alg: { const: "RS256" },
        use: { const: "sig" },
      }),
    },
  }),
  description: "Cacheable (`cache-control: public, max-age=300`).",
  examples: [
    {
      keys: [{ kty: "RSA", n: "0vx7agoebGcQSuu", e: "AQAB", kid: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", alg: "RS256", use: "sig" }],
    },
  ],
};

export const openApiDocument: JsonSchema = {
  type: "object",
  properties: {
    openapi: { const: "3.1.0" },
    info: { type: "object" },
    servers: { type: "array", items: { type: "object" } },
    paths: { type: "object" },
  },
  required: ["openapi", "info", "servers", "paths"],
  description: "This document, with `servers` set to the API's base URL.",
  examples: [
    {
      openapi: "3.1.0",
      info: { title: "Serverless auth API", version: "1.0.0" },
      servers: [{ url: "https://abc123.execute-api.eu-west-1.amazonaws.com" }],
      paths: {},
    },
  ],
};
