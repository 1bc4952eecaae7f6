import { readFileSync } from "node:fs";
import { expect } from "chai";
import { INITIAL_KEY, keyFile } from "../../scripts/signing-keys/local-keys.js";
import { ADMIN_ROUTES, grantAdmin } from "../support/admins.js";
import { decodeParts, type JwtForger, jwtForger } from "../support/forged-jwt.js";
import { postJson, request } from "../support/http.js";
import { type RawRequest, rawRequest } from "../support/raw-http.js";
import { startTestStack } from "../support/stack.js";
import { captureFunctionLogs } from "../support/stdout.js";

/** Distinctive, so an echo anywhere in a response would be found. */
const PASSWORD = "Corpus-Secret-Pw-1";
const KNOWN_USER = "corpus.user";
const ADMIN_USER = "corpus.admin";

/** What the token cases take from the running stack: a real access token, and the stack's signing key to forge others with. */
interface Live {
  validToken: string;
  /** The known user's id, from the valid token. */
  userId: string;
  /** A token with the admin scope, of a user who holds the role. */
  adminToken: string;
  forge: JwtForger;
  /** The forged tokens' iat, in seconds. */
  now: number;
}

type CaseRequest = RawRequest & { method: string; path: string };

interface Case {
  name: string;
  /** Static, so that mocha knows every case when it collects the tests; a token case builds its request from the live stack. */
  request: CaseRequest | ((live: Live) => CaseRequest);
  status: number;
  /** The problem `code` for the function's errors, or the exact body of the gateway's own. */
  code?: string;
  gateway?: string;
}

const JSON_TYPE = { "content-type": "application/json" };
const json = (value: unknown) => JSON.stringify(value);
const credentials = (fields: Record<string, unknown>) => json({ username: KNOWN_USER, password: PASSWORD, ...fields });

/** A body that passes the envelope and fails validation, per route that takes a body. */
const VALID_ENVELOPE: Record<string, string> = {
  "POST /register": JSON.stringify({ username: "a", password: PASSWORD }),
  "POST /login": JSON.stringify({ username: "a", password: PASSWORD }),
  "POST /refresh": JSON.stringify({ refresh_token: "x".repeat(600) }),
  "POST /logout": JSON.stringify({ refresh_token: "x".repeat(600) }),
  "POST /password": JSON.stringify({ current_password: PASSWORD }),
  "DELETE /me": JSON.stringify({ password: "" }),
  "POST /password/reset": JSON.stringify({ username: "a", reset_code: "x", new_password: PASSWORD }),
  "PUT /admin/users/{id}/roles": JSON.stringify({ roles: "admin" }),
};
const JWT_ROUTES = new Set(["POST /password", "DELETE /me"]);
const ADMIN_BODY_ROUTES = new Set(["PUT /admin/users/{id}/roles"]);

/**
 * A request with a body; on a `jwt` route it carries the known user's valid token, on an admin route the
 * admin's, with the known user's id as `{id}`.
 */
function bodyRequest(routeKey: string, headers: Record<string, string>, body: string | Buffer | undefined): Case["request"] {
  const [method = "", path = ""] = routeKey.split(" ");
  const request = { method, path, headers, ...(body === undefined ? {} : { body }) };
  if (ADMIN_BODY_ROUTES.has(routeKey)) {
    return ({ adminToken, userId }: Live) => ({
      ...request,
      path: path.replace("{id}", userId),
      headers: { ...headers, authorization: `Bearer ${adminToken}` },
    });
  }
  if (!JWT_ROUTES.has(routeKey)) return request;
  return ({ validToken }: Live) => ({ ...request, headers: { ...headers, authorization: `Bearer ${validToken}` } });
}

/** Envelope cases apply to every route that takes a body. */
function envelopeCases(routeKey: string): Case[] {
  const post = (name: string, headers: Record<string, string>, body: string | Buffer | undefined, status: number, code: string): Case => ({
    name: `${routeKey}: ${name}`,
    request: bodyRequest(routeKey, headers, body),
    status,
    code,
  });
  const valid = VALID_ENVELOPE[routeKey]!;
  /** The valid body with bytes spliced into its first string value. */
  const withBytes = (bytes: number[]) => {
    const at = valid.indexOf('":"') + 3;
    return Buffer.concat([Buffer.from(valid.slice(0, at)), Buffer.from(bytes), Buffer.from(valid.slice(at))]);
  };
  return [
    post("no content type", {}, valid, 415, "unsupported_media_type"),
    post("text/plain", { "content-type": "text/plain" }, valid, 415, "unsupported_media_type"),
    post(
      "form-urlencoded (base64-encoded by the gateway)",
      { "content-type": "application/x-www-form-urlencoded" },
      "username=a&password=b",
      415,
      "unsupported_media_type",
    ),
    post(
      "octet-stream with a JSON body (base64-encoded by the gateway)",
      { "content-type": "application/octet-stream" },
      valid,
      415,
      "unsupported_media_type",
    ),
    post("charset=latin1", { "content-type": "application/json; charset=latin1" }, valid, 415, "unsupported_media_type"),
    post("charset=UTF-8 reaches validation", { "content-type": "application/json; charset=UTF-8" }, valid, 400, "validation_failed"),
    post('charset="utf-8" reaches validation', { "content-type": 'application/json;charset="utf-8"' }, valid, 400, "validation_failed"),
    post("upper-case media type reaches validation", { "content-type": "APPLICATION/JSON" }, valid, 400, "validation_failed"),
    post("an empty body", JSON_TYPE, undefined, 400, "invalid_json"),
    post("invalid JSON", JSON_TYPE, "{", 400, "invalid_json"),
    post("trailing garbage", JSON_TYPE, `${valid}x`, 400, "invalid_json"),
    post("a JSON array", JSON_TYPE, "[]", 400, "invalid_json"),
    post("a JSON string", JSON_TYPE, '"x"', 400, "invalid_json"),
    post("JSON null", JSON_TYPE, "null", 400, "invalid_json"),
    post("a JSON number", JSON_TYPE, "42", 400, "invalid_json"),
    post("duplicate keys", JSON_TYPE, `{"username":"${KNOWN_USER}","username":"other","password":"${PASSWORD}"}`, 400, "invalid_json"),
    post("a body over 16 KiB", JSON_TYPE, json({ pad: "x".repeat(16 * 1024) }), 413, "payload_too_large"),
    post("a 1 MB body", JSON_TYPE, "x".repeat(1024 * 1024), 413, "payload_too_large"),
    post("a base64 text of JSON", JSON_TYPE, Buffer.from(valid).toString("base64"), 400, "invalid_json"),
    post("a raw NUL byte", JSON_TYPE, `{"username":"a\u0000b"}`, 400, "invalid_json"),
    // However the gateway hands these bytes on (text with U+FFFD for each, or base64), the function must see through it.
    post("a Latin-1 byte that is not UTF-8", JSON_TYPE, withBytes([0xe9]), 400, "invalid_json"),
    post("a lone UTF-8 continuation byte", JSON_TYPE, withBytes([0x80, 0x80]), 400, "invalid_json"),
    post("an overlong UTF-8 encoding", JSON_TYPE, withBytes([0xc0, 0xaf]), 400, "invalid_json"),
    post("a literal U+FFFD", JSON_TYPE, withBytes([0xef, 0xbf, 0xbd]), 400, "invalid_json"),
  ];
}

function fieldCases(path: "/register" | "/login"): Case[] {
  const post = (name: string, body: string, status: number, code: string): Case => ({
    name: `${path}: ${name}`,
    request: { method: "POST", path, headers: JSON_TYPE, body },
    status,
    code,
  });
  const invalid = (name: string, fields: Record<string, unknown>) => post(name, credentials(fields), 400, "validation_failed");
  return [
    post("an empty object", "{}", 400, "validation_failed"),
    post("no username", json({ password: PASSWORD }), 400, "validation_failed"),
    post("no password", json({ username: KNOWN_USER }), 400, "validation_failed"),
    invalid("an extra field", { admin: true }),
    post("__proto__", `{"__proto__":{"admin":true},"username":"${KNOWN_USER}","password":"${PASSWORD}"}`, 400, "validation_failed"),
    invalid("constructor", { constructor: { prototype: { admin: true } } }),
    invalid("deep nesting", { username: JSON.parse(`${"[".repeat(2000)}${"]".repeat(2000)}`) }),
    invalid("a numeric username", { username: 12345 }),
    invalid("an array username", { username: [KNOWN_USER] }),
    invalid("a null username", { username: null }),
    invalid("an object username", { username: { name: KNOWN_USER } }),
    invalid("a numeric password", { password: 12345678 }),
    invalid("an array password", { password: [PASSWORD] }),
    invalid("a null password", { password: null }),
    invalid("an object password", { password: { value: PASSWORD } }),
    invalid("an empty username", { username: "" }),
    invalid("an empty password", { password: "" }),
    invalid("a 2-character username", { username: "ab" }),
    invalid("a 33-character username", { username: "a".repeat(33) }),
    invalid("a 10 KB username", { username: "a".repeat(10_000) }),
    invalid("a 7-character password", { password: "1234567" }),
    invalid("a Cyrillic look-alike username", { username: "corpus.usеr" }),
    invalid("a zero-width space in the username", { username: "corpus\u200buser" }),
    invalid("a right-to-left override in the username", { username: "corpus\u202euser" }),
    invalid("a username with a space", { username: "corpus user" }),
    invalid("a username with a NUL", { username: "corpus\u0000user" }),
    invalid("a username starting with a dot", { username: ".corpus" }),
    invalid("a password with a lone surrogate", { password: "password\ud800" }),
    invalid("a password with U+0000", { password: "Secret-12\u0000anything" }),
    post("a 73-byte ASCII password", credentials({ password: "p".repeat(73) }), 400, "password_too_long"),
    post("a 73-byte multi-byte password", credentials({ password: `${"é".repeat(36)}p` }), 400, "password_too_long"),
    // 72 bytes is accepted: the only error left is the username's.
    post("a 72-byte password with a bad username", credentials({ username: "a", password: "é".repeat(36) }), 400, "validation_failed"),
  ];
}

function newPasswordCases(): Case[] {
  const post = (name: string, body: Record<string, unknown>): Case => ({
    name: `/register: ${name}`,
    request: { method: "POST", path: "/register", headers: JSON_TYPE, body: json({ username: "corpus.new", ...body }) },
    status: 400,
    code: "validation_failed",
  });
  return [
    post("a common password", { password: "iloveyou" }),
    post("a common password in capitals", { password: "QWERTYUIOP" }),
    post("the username as the password", { username: "corpus.newcomer", password: "Corpus.Newcomer" }),
  ];
}

function passwordChangeCases(): Case[] {
  const change = (name: string, body: string, status: number, code: string): Case => ({
    name: `/password: ${name}`,
    request: bodyRequest("POST /password", JSON_TYPE, body),
    status,
    code,
  });
  const invalid = (name: string, fields: Record<string, unknown>) =>
    change(name, json({ current_password: PASSWORD, new_password: "a brand new secret", ...fields }), 400, "validation_failed");
  return [
    change("an empty object", "{}", 400, "validation_failed"),
    invalid("no current password", { current_password: undefined }),
    invalid("no new password", { new_password: undefined }),
    invalid("an extra field", { username: "someone.else" }),
    change(
      "__proto__",
      `{"__proto__":{"admin":true},"current_password":"${PASSWORD}","new_password":"a brand new secret"}`,
      400,
      "validation_failed",
    ),
    invalid("a numeric new password", { new_password: 12345678 }),
    invalid("a null current password", { current_password: null }),
    invalid("an empty new password", { new_password: "" }),
    invalid("a 7-character new password", { new_password: "1234567" }),
    invalid("the same password again", { new_password: PASSWORD }),
    invalid("a common new password", { new_password: "password1" }),
    invalid("the username as the new password", { new_password: KNOWN_USER.toUpperCase() }),
    invalid("U+0000 in the new password", { new_password: "a brand\u0000new secret" }),
    invalid("U+0000 in the current password", { current_password: `${PASSWORD}\u0000` }),
    invalid("a lone surrogate in the new password", { new_password: "a brand new \ud800" }),
    change("a 73-byte new password", json({ current_password: PASSWORD, new_password: "p".repeat(73) }), 400, "password_too_long"),
  ];
}

function accountDeletionCases(): Case[] {
  const remove = (name: string, body: string, status: number, code: string): Case => ({
    name: `DELETE /me: ${name}`,
    request: bodyRequest("DELETE /me", JSON_TYPE, body),
    status,
    code,
  });
  return [
    remove("an empty object", "{}", 400, "validation_failed"),
    remove("an extra field", json({ password: PASSWORD, confirm: true }), 400, "validation_failed"),
    remove("a numeric password", json({ password: 12345678 }), 400, "validation_failed"),
    remove("U+0000 in the password", json({ password: `${PASSWORD}\u0000` }), 400, "validation_failed"),
    remove("a 73-byte password", json({ password: "p".repeat(73) }), 400, "password_too_long"),
  ];
}

function passwordResetCases(): Case[] {
  const reset = (name: string, body: string, status: number, code: string): Case => ({
    name: `/password/reset: ${name}`,
    request: { method: "POST", path: "/password/reset", headers: JSON_TYPE, body },
    status,
    code,
  });
  // Only bodies that fail validation: a well-formed wrong code is counted toward the lockout, which writes.
  const valid = { username: KNOWN_USER, reset_code: "c".repeat(32), new_password: "a brand new secret" };
  const invalid = (name: string, fields: Record<string, unknown>) => reset(name, json({ ...valid, ...fields }), 400, "validation_failed");
  return [
    reset("an empty object", "{}", 400, "validation_failed"),
    invalid("no reset code", { reset_code: undefined }),
    invalid("no username", { username: undefined }),
    invalid("no new password", { new_password: undefined }),
    invalid("an empty reset code", { reset_code: "" }),
    invalid("a 10 KB reset code", { reset_code: "c".repeat(10_000) }),
    invalid("a numeric reset code", { reset_code: 123456 }),
    invalid("an array reset code", { reset_code: ["c".repeat(32)] }),
    invalid("a null reset code", { reset_code: null }),
    invalid("a bad username", { username: "corpus user" }),
    invalid("a common new password", { new_password: "password1" }),
    invalid("the username as the new password", { new_password: KNOWN_USER.toUpperCase() }),
    invalid("U+0000 in the new password", { new_password: "a brand\u0000new secret" }),
    invalid("an extra field", { roles: ["admin"] }),
    reset(
      "__proto__",
      `{"__proto__":{"admin":true},"username":"${KNOWN_USER}","reset_code":"${"c".repeat(32)}","new_password":"a brand new secret"}`,
      400,
      "validation_failed",
    ),
    reset("a 73-byte new password", json({ ...valid, new_password: "p".repeat(73) }), 400, "password_too_long"),
  ];
}

const ADMIN_ID_ROUTES = ADMIN_ROUTES.filter(([, path]) => path.includes("{id}"));

/** Admin routes: the gateway's scope check, then ids, queries and bodies the function must refuse, with the admin's token. */
function adminCases(): Case[] {
  const forbidden = '{"message":"Forbidden"}';
  const routeCases = ADMIN_ID_ROUTES.flatMap(([method, template]): Case[] => {
    const withId = (name: string, id: string, status: number, code?: string, gateway?: string): Case => ({
      name: `${method} ${template}: ${name}`,
      request: ({ adminToken }) => ({
        method,
        path: template.replace("{id}", id),
        headers: { authorization: `Bearer ${adminToken}`, ...(method === "PUT" ? JSON_TYPE : {}) },
        ...(method === "PUT" ? { body: json({ roles: [] }) } : {}),
      }),
      status,
      ...(code ? { code } : {}),
      ...(gateway ? { gateway } : {}),
    });
    return [
      {
        name: `${method} ${template}: a token without the admin scope (the gateway's 403)`,
        request: ({ validToken, userId }) => ({
          method,
          path: template.replace("{id}", userId),
          headers: { authorization: `Bearer ${validToken}`, ...JSON_TYPE },
          ...(method === "PUT" ? { body: json({ roles: ["admin"] }) } : {}),
        }),
        status: 403,
        gateway: forbidden,
      },
      {
        name: `${method} ${template}: a well-signed token claiming the scope for a user without the role`,
        request: ({ forge, validToken, userId }) => ({
          method,
          path: template.replace("{id}", userId),
          headers: {
            authorization: `Bearer ${forge.signed({ sub: userId, sid: decodeParts(validToken).payload.sid, scope: "admin" })}`,
            ...JSON_TYPE,
          },
          ...(method === "PUT" ? { body: json({ roles: ["admin"] }) } : {}),
        }),
        status: 403,
        code: "insufficient_scope",
      },
      {
        name: `${method} ${template}: no token`,
        request: { method, path: template.replace("{id}", "x") },
        status: 401,
        gateway: '{"message":"Unauthorized"}',
      },
      withId("an unknown id", "00000000-0000-4000-8000-000000000000", 404, "not_found"),
      withId("an id that is not an id", "not-an-id", 404, "not_found"),
      withId("a username instead of an id", KNOWN_USER, 404, "not_found"),
      withId("an upper-case id", "00000000-0000-4000-8000-00000000000A", 404, "not_found"),
      withId("__proto__", "__proto__", 404, "not_found"),
      withId("constructor", "constructor", 404, "not_found"),
      withId("%2F inside the id", "00000000-0000-4000-8000%2F000000000000", 404, "not_found"),
      withId("an encoded path traversal", "%2E%2E%2F%2E%2E", 404, "not_found"),
      withId("a 2,000-character id", "A".repeat(2000), 404, "not_found"),
      withId("a unicode id", encodeURIComponent("ünïcödé-👤"), 404, "not_found"),
      withId("a fullwidth digit id", encodeURIComponent("０".repeat(36)), 404, "not_found"),
      withId("an encoded NUL", "%00", 404, "not_found"),
      withId("a quoted id", "%22%27", 404, "not_found"),
      withId("two segments (no such route)", "a/b", 404, undefined, '{"message":"Not Found"}'),
    ];
  });

  const list = (name: string, query: string, status: number, code?: string, gateway?: string, token: "admin" | "user" = "admin"): Case => ({
    name: `GET /admin/users: ${name}`,
    request: ({ adminToken, validToken }) => ({
      method: "GET",
      path: `/admin/users${query}`,
      headers: { authorization: `Bearer ${token === "admin" ? adminToken : validToken}` },
    }),
    status,
    ...(code ? { code } : {}),
    ...(gateway ? { gateway } : {}),
  });
  const listCases = [
    list("a token without the admin scope (the gateway's 403)", "", 403, undefined, forbidden, "user"),
    list("limit=0", "?limit=0", 400, "validation_failed"),
    list("limit=101", "?limit=101", 400, "validation_failed"),
    list("limit=-5", "?limit=-5", 400, "validation_failed"),
    list("limit=1e2", "?limit=1e2", 400, "validation_failed"),
    list("limit=NaN", "?limit=NaN", 400, "validation_failed"),
    list("limit=99999999999999999999", "?limit=99999999999999999999", 400, "validation_failed"),
    list("two limits", "?limit=1&limit=2", 400, "validation_failed"),
    list("an empty cursor", "?cursor=", 400, "validation_failed"),
    list("a cursor of garbage", "?cursor=garbage", 400, "validation_failed"),
    list(
      "a cursor of a table key",
      `?cursor=${Buffer.from('{"pk":{"S":"roster#admins"}}').toString("base64url")}`,
      400,
      "validation_failed",
    ),
    list(
      "a cursor with a made-up MAC",
      `?cursor=${Buffer.from(JSON.stringify(["x", KNOWN_USER])).toString("base64url")}.${"A".repeat(43)}`,
      400,
      "validation_failed",
    ),
    list("a 5,000-character cursor", `?cursor=${"c".repeat(5000)}`, 400, "validation_failed"),
    list("a unicode cursor", `?cursor=${encodeURIComponent("ünïcödé")}`, 400, "validation_failed"),
    list("an unknown parameter", "?limit=5&offset=10", 400, "validation_failed"),
    list("__proto__ as a parameter", "?__proto__=1", 400, "validation_failed"),
  ];

  const roles = (name: string, body: unknown) => ({
    name: `PUT /admin/users/{id}/roles: ${name}`,
    request: bodyRequest("PUT /admin/users/{id}/roles", JSON_TYPE, typeof body === "string" ? body : json(body)),
    status: 400,
    code: "validation_failed",
  });
  const roleCases = [
    roles("an empty object", {}),
    roles("roles as a string", { roles: "admin" }),
    roles("roles as null", { roles: null }),
    roles("an unknown role", { roles: ["superuser"] }),
    roles("a role in capitals", { roles: ["ADMIN"] }),
    roles("a role twice", { roles: ["admin", "admin"] }),
    roles("a nested role", { roles: [["admin"]] }),
    roles("a numeric role", { roles: [0] }),
    roles("1,000 roles", { roles: Array(1000).fill("admin") }),
    roles("an extra field", { roles: [], disabled: false }),
    roles("__proto__", '{"__proto__":{"roles":["admin"]},"roles":[]}'),
  ];
  return [...routeCases, ...listCases, ...roleCases];
}

function sessionCases(): Case[] {
  const end = (name: string, id: string, status: number, code?: string, gateway?: string): Case => ({
    name: `DELETE /sessions/{id}: ${name}`,
    request: ({ validToken }) => ({ method: "DELETE", path: `/sessions/${id}`, headers: { authorization: `Bearer ${validToken}` } }),
    status,
    ...(code ? { code } : {}),
    ...(gateway ? { gateway } : {}),
  });
  return [
    end("an unknown session id", "AAAAAAAAAAAAAAAAAAAAAA", 404, "not_found"),
    end("an id that cannot be a session id", "not-a-session", 404, "not_found"),
    end("__proto__", "__proto__", 404, "not_found"),
    end("a percent-encoded id", "%2F%2E%2E", 404, "not_found"),
    end("a 2,000-character id", "A".repeat(2000), 404, "not_found"),
    end("two segments (no such route)", "a/b", 404, undefined, '{"message":"Not Found"}'),
  ];
}

function refreshCases(path: "/refresh" | "/logout"): Case[] {
  const post = (name: string, body: string, status: number, code?: string): Case => ({
    name: `${path}: ${name}`,
    request: { method: "POST", path, headers: JSON_TYPE, body },
    status,
    ...(code ? { code } : {}),
  });
  return [
    post("no refresh_token", "{}", 400, "validation_failed"),
    post("a numeric refresh_token", json({ refresh_token: 1 }), 400, "validation_failed"),
    post("an empty refresh_token", json({ refresh_token: "" }), 400, "validation_failed"),
    post("an oversized refresh_token", json({ refresh_token: "x".repeat(600) }), 400, "validation_failed"),
    post("an extra field", json({ refresh_token: "abc", scope: "all" }), 400, "validation_failed"),
    path === "/refresh"
      ? post("an unknown refresh_token", json({ refresh_token: Buffer.alloc(48, 1).toString("base64url") }), 401, "invalid_grant")
      : post("an unknown refresh_token", json({ refresh_token: Buffer.alloc(48, 1).toString("base64url") }), 204),
  ];
}

type LiveHeaders = (live: Live) => Record<string, string | string[]>;

function tokenCases(): Case[] {
  const me =
    (headers: LiveHeaders, path: (live: Live) => string = () => "/me") =>
    (live: Live): CaseRequest => ({ method: "GET", path: path(live), headers: headers(live) });
  const refused = (name: string, headers: LiveHeaders, path?: (live: Live) => string): Case => ({
    name: `GET /me: ${name}`,
    request: me(headers, path),
    status: 401,
    gateway: '{"message":"Unauthorized"}',
  });
  const bearer =
    (token: (live: Live) => string): LiveHeaders =>
    (live) => ({ authorization: `Bearer ${token(live)}` });
  const refusedBearer = (name: string, token: (live: Live) => string) => refused(name, bearer(token));
  return [
    refused("no token", () => ({})),
    refused("an empty bearer", () => ({ authorization: "Bearer " })),
    // The header the issuer writes, with alg none and without a kid.
    refusedBearer("alg none", ({ forge }) => forge.unsigned({ kid: undefined })),
    refusedBearer("HS256 signed with the public key", ({ forge }) => forge.hs256WithPublicKey()),
    refusedBearer("an unknown kid", ({ forge }) => forge.signed({}, { kid: "unknown" })),
    refusedBearer("an expired token", ({ forge, now }) => forge.signed({ iat: now - 2000, exp: now - 1000 })),
    refusedBearer("nbf in the future", ({ forge, now }) => forge.signed({ nbf: now + 600 })),
    refusedBearer("a wrong issuer", ({ forge }) => forge.signed({ iss: "https://evil.example" })),
    refusedBearer("a wrong audience", ({ forge }) => forge.signed({ aud: "another-api" })),
    refusedBearer("a truncated token", ({ validToken }) => validToken.slice(0, -20)),
    refusedBearer("an extra segment", ({ validToken }) => `${validToken}.extra`),
    refused("a Basic credential", () => ({ authorization: `Basic ${Buffer.from(`${KNOWN_USER}:${PASSWORD}`).toString("base64")}` })),
    refused("two authorization headers", ({ validToken }) => ({ authorization: [`Bearer ${validToken}`, `Bearer ${validToken}`] })),
    refused(
      "the token in the query string",
      () => ({}),
      ({ validToken }) => `/me?access_token=${validToken}`,
    ),
    {
      name: "GET /me: a valid signature for a user that does not exist",
      request: me(bearer(({ forge }) => forge.signed())),
      status: 401,
      code: "invalid_token",
    },
    {
      name: "GET /me: a valid signature for the user, but a session that does not exist",
      request: me(bearer(({ forge, userId }) => forge.signed({ sub: userId }))),
      status: 401,
      code: "invalid_token",
    },
    {
      name: "GET /me: a valid signature for the user's name, with another user id",
      request: me(bearer(({ forge, validToken }) => forge.signed({ sid: decodeParts(validToken).payload.sid }))),
      status: 401,
      code: "invalid_token",
    },
    {
      name: "GET /me: lower-case bearer is accepted",
      request: me(({ validToken }) => ({ authorization: `bearer ${validToken}` })),
      status: 200,
    },
  ];
}

const routingCases: Case[] = [
  { name: "GET /register (no such route)", request: { method: "GET", path: "/register" }, status: 404, gateway: '{"message":"Not Found"}' },
  {
    name: "POST /me (no such route)",
    request: { method: "POST", path: "/me", headers: JSON_TYPE, body: "{}" },
    status: 404,
    gateway: '{"message":"Not Found"}',
  },
  { name: "a trailing slash", request: { method: "GET", path: "/health/" }, status: 404, gateway: '{"message":"Not Found"}' },
  { name: "an unknown path", request: { method: "GET", path: "/admin" }, status: 404, gateway: '{"message":"Not Found"}' },
  {
    name: "GET /admin/users/ (an empty id)",
    request: { method: "GET", path: "/admin/users/" },
    status: 404,
    gateway: '{"message":"Not Found"}',
  },
  {
    name: "DELETE /admin/users/{id} (no such route)",
    request: { method: "DELETE", path: "/admin/users/x" },
    status: 404,
    gateway: '{"message":"Not Found"}',
  },
  {
    name: "GET /password/reset (no such route)",
    request: { method: "GET", path: "/password/reset" },
    status: 404,
    gateway: '{"message":"Not Found"}',
  },
];

/** Every `jwt` route without a token, and with a token whose session does not exist. */
function otherJwtRouteCases(): Case[] {
  return ["POST /password", "DELETE /me", "GET /sessions", "DELETE /sessions/{id}", "DELETE /sessions"].flatMap((routeKey): Case[] => {
    const [method = "", template = ""] = routeKey.split(" ");
    const path = template.replace("{id}", "AAAAAAAAAAAAAAAAAAAAAA");
    const body = method === "GET" || routeKey.includes("sessions") ? {} : { headers: JSON_TYPE, body: VALID_ENVELOPE[routeKey]! };
    return [
      { name: `${routeKey}: no token`, request: { method, path, ...body }, status: 401, gateway: '{"message":"Unauthorized"}' },
      {
        name: `${routeKey}: a valid signature for the user, but a session that does not exist`,
        request: ({ forge, userId }) => ({
          method,
          path,
          ...body,
          headers: { ...("headers" in body ? body.headers : {}), authorization: `Bearer ${forge.signed({ sub: userId })}` },
        }),
        status: 401,
        code: "invalid_token",
      },
    ];
  });
}

const CASES: Case[] = [
  ...Object.keys(VALID_ENVELOPE).flatMap(envelopeCases),
  ...fieldCases("/register"),
  ...fieldCases("/login"),
  ...newPasswordCases(),
  ...passwordChangeCases(),
  ...accountDeletionCases(),
  ...sessionCases(),
  ...passwordResetCases(),
  ...adminCases(),
  ...otherJwtRouteCases(),
  ...refreshCases("/refresh"),
  ...refreshCases("/logout"),
  ...tokenCases(),
  ...routingCases,
];

describe("bad input corpus, over HTTP through the local gateway", function () {
  this.timeout(120_000);
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  const logs = captureFunctionLogs();
  let live: Live;

  before(async () => {
    stack = await startTestStack();
    expect((await postJson(`${stack.url}/register`, { username: KNOWN_USER, password: PASSWORD })).status).to.equal(201);
    expect((await postJson(`${stack.url}/register`, { username: ADMIN_USER, password: PASSWORD })).status).to.equal(201);
    await grantAdmin(stack.dynamodbEndpoint, stack.tableName, ADMIN_USER);
    const adminToken: string = (await postJson(`${stack.url}/login`, { username: ADMIN_USER, password: PASSWORD })).json.access_token;
    const validToken: string = (await postJson(`${stack.url}/login`, { username: KNOWN_USER, password: PASSWORD })).json.access_token;
    const discovery = (await request(`${stack.url}/.well-known/jwks.json`)).json;
    const { header, payload } = decodeParts(validToken);
    expect(discovery.keys[0].kid).to.equal(header.kid);
    const now = Math.floor(Date.now() / 1000);
    const forge = jwtForger({
      kid: header.kid,
      claims: {
        iss: stack.url,
        aud: payload.aud,
        sub: "00000000-0000-4000-8000-000000000000",
        preferred_username: KNOWN_USER,
        iat: now,
        exp: now + 900,
        jti: "j",
        sid: "AAAAAAAAAAAAAAAAAAAAAA",
        scope: "",
      },
      privateKeyPem: readFileSync(keyFile(stack.localDir, INITIAL_KEY), "utf8"),
    });
    live = { validToken, userId: payload.sub, adminToken, forge, now };
  });
  after(async () => {
    await stack.stop();
  });

  it("has at least 200 cases", () => {
    expect(CASES.length).to.be.at.least(200);
  });

  describe("answers each case with its exact status and code, writes nothing, and never echoes the password", () => {
    for (const { name, request: requestOf, status, code, gateway } of CASES) {
      it(name, async () => {
        const before = await stack.snapshot();
        const caseRequest = typeof requestOf === "function" ? requestOf(live) : requestOf;
        const reply = await rawRequest(new URL(caseRequest.path, stack.url).href, caseRequest);
        // Every problem of the case at once, rather than the first failed expectation.
        const problems: string[] = [];
        if (reply.status !== status) problems.push(`status ${reply.status}, expected ${status}: ${reply.text.slice(0, 200)}`);
        if (gateway !== undefined && reply.text !== gateway) problems.push(`body ${reply.text.slice(0, 200)}`);
        if (code !== undefined) {
          const replied = reply.headers["content-type"]?.startsWith("application/problem+json") ? reply.json?.code : undefined;
          if (replied !== code) problems.push(`code ${replied}, expected ${code}`);
        }
        if (reply.status >= 500) problems.push("a 5xx");
        if (reply.text.includes(PASSWORD)) problems.push("the password was echoed");
        if ((await stack.snapshot()) !== before) problems.push("the table changed");
        expect(problems, problems.join("; ")).to.deep.equal([]);
      });
    }
  });

  // A suite of its own: mocha runs a suite's tests before its child suites', and this reads the logs of every case.
  describe("after every case", () => {
    it("never logs the password", () => {
      expect(logs.lines.join("\n")).not.to.include(PASSWORD);
      expect(stack.accessLog.join("\n")).not.to.include(PASSWORD);
    });
  });
});
