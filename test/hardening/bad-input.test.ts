import { createHmac, createPrivateKey, createPublicKey, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { expect } from "chai";
import { startTestStack } from "../support/stack.js";
import { captureFunctionLogs } from "../support/stdout.js";

/** Distinctive, so an echo anywhere in a response would be found. */
const PASSWORD = "Corpus-Secret-Pw-1";
const KNOWN_USER = "corpus.user";

interface Case {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  status: number;
  /** The problem `code` for the function's errors, or the exact body of the gateway's own. */
  code?: string;
  gateway?: string;
}

const JSON_TYPE = { "content-type": "application/json" };
const json = (value: unknown) => JSON.stringify(value);
const credentials = (fields: Record<string, unknown>) => json({ username: KNOWN_USER, password: PASSWORD, ...fields });

/** Envelope cases apply to every route that takes a body. */
function envelopeCases(path: string): Case[] {
  const post = (name: string, headers: Record<string, string>, body: string | Buffer | undefined, status: number, code: string): Case => ({
    name: `${path}: ${name}`,
    method: "POST",
    path,
    headers,
    ...(body === undefined ? {} : { body }),
    status,
    code,
  });
  const valid = path === "/refresh" || path === "/logout" ? json({ refresh_token: "x".repeat(600) }) : credentials({ username: "a" });
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
  ];
}

function fieldCases(path: "/register" | "/login"): Case[] {
  const post = (name: string, body: string, status: number, code: string): Case => ({
    name: `${path}: ${name}`,
    method: "POST",
    path,
    headers: JSON_TYPE,
    body,
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
    post("a 73-byte ASCII password", credentials({ password: "p".repeat(73) }), 400, "password_too_long"),
    post("a 73-byte multi-byte password", credentials({ password: `${"é".repeat(36)}p` }), 400, "password_too_long"),
    // 72 bytes is accepted: the only error left is the username's.
    post("a 72-byte password with a bad username", credentials({ username: "a", password: "é".repeat(36) }), 400, "validation_failed"),
  ];
}

function refreshCases(path: "/refresh" | "/logout"): Case[] {
  const post = (name: string, body: string, status: number, code?: string): Case => ({
    name: `${path}: ${name}`,
    method: "POST",
    path,
    headers: JSON_TYPE,
    body,
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

function tokenCases(validToken: string, privateKeyPem: string, issuer: string, audience: string, kid: string): Case[] {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: issuer,
    aud: audience,
    sub: "00000000-0000-4000-8000-000000000000",
    preferred_username: KNOWN_USER,
    iat: now,
    exp: now + 900,
    jti: "j",
  };
  const signWith = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) => {
    const input = `${b64({ alg: "RS256", typ: "JWT", kid, ...header })}.${b64({ ...claims, ...payload })}`;
    return `${input}.${sign("sha256", Buffer.from(input), createPrivateKey(privateKeyPem)).toString("base64url")}`;
  };
  const publicPem = createPublicKey(privateKeyPem).export({ type: "spki", format: "pem" });
  const hsInput = `${b64({ alg: "HS256", typ: "JWT", kid })}.${b64(claims)}`;
  const gatewayRefusal = (name: string, headers: Record<string, string | string[]>, path = "/me"): Case => ({
    name: `GET /me: ${name}`,
    method: "GET",
    path,
    headers,
    status: 401,
    gateway: '{"message":"Unauthorized"}',
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  return [
    gatewayRefusal("no token", {}),
    gatewayRefusal("an empty bearer", { authorization: "Bearer " }),
    gatewayRefusal("alg none", bearer(`${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`)),
    gatewayRefusal(
      "HS256 signed with the public key",
      bearer(`${hsInput}.${createHmac("sha256", publicPem).update(hsInput).digest("base64url")}`),
    ),
    gatewayRefusal("an unknown kid", bearer(signWith({}, { kid: "unknown" }))),
    gatewayRefusal("an expired token", bearer(signWith({ iat: now - 2000, exp: now - 1000 }))),
    gatewayRefusal("nbf in the future", bearer(signWith({ nbf: now + 600 }))),
    gatewayRefusal("a wrong issuer", bearer(signWith({ iss: "https://evil.example" }))),
    gatewayRefusal("a wrong audience", bearer(signWith({ aud: "another-api" }))),
    gatewayRefusal("a truncated token", bearer(validToken.slice(0, -20))),
    gatewayRefusal("an extra segment", bearer(`${validToken}.extra`)),
    gatewayRefusal("a Basic credential", { authorization: `Basic ${Buffer.from(`${KNOWN_USER}:${PASSWORD}`).toString("base64")}` }),
    gatewayRefusal("two authorization headers", { authorization: [`Bearer ${validToken}`, `Bearer ${validToken}`] }),
    gatewayRefusal("the token in the query string", {}, `/me?access_token=${validToken}`),
    {
      name: "GET /me: a valid signature for a user that does not exist",
      method: "GET",
      path: "/me",
      headers: bearer(signWith({})),
      status: 401,
      code: "invalid_token",
    },
    {
      name: "GET /me: lower-case bearer is accepted",
      method: "GET",
      path: "/me",
      headers: { authorization: `bearer ${validToken}` },
      status: 200,
    },
  ];
}

const routingCases: Case[] = [
  { name: "GET /register (no such route)", method: "GET", path: "/register", status: 404, gateway: '{"message":"Not Found"}' },
  {
    name: "POST /me (no such route)",
    method: "POST",
    path: "/me",
    headers: JSON_TYPE,
    body: "{}",
    status: 404,
    gateway: '{"message":"Not Found"}',
  },
  { name: "a trailing slash", method: "GET", path: "/health/", status: 404, gateway: '{"message":"Not Found"}' },
  { name: "an unknown path", method: "GET", path: "/admin", status: 404, gateway: '{"message":"Not Found"}' },
];

function send(base: string, testCase: Case): Promise<{ status: number; body: string; contentType: string | undefined }> {
  const url = new URL(testCase.path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: testCase.method,
        headers: testCase.headers ?? {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), contentType: res.headers["content-type"] }),
        );
      },
    );
    req.on("error", reject);
    req.end(testCase.body);
  });
}

describe("bad input corpus, over HTTP through the local gateway", function () {
  this.timeout(120_000);
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  const logs = captureFunctionLogs();
  const cases: Case[] = [];

  before(async () => {
    stack = await startTestStack();
    const registered = await send(stack.url, {
      name: "",
      method: "POST",
      path: "/register",
      headers: JSON_TYPE,
      body: credentials({}),
      status: 201,
    });
    expect(registered.status).to.equal(201);
    const login = JSON.parse(
      (await send(stack.url, { name: "", method: "POST", path: "/login", headers: JSON_TYPE, body: credentials({}), status: 200 })).body,
    );
    const discovery = JSON.parse((await send(stack.url, { name: "", method: "GET", path: "/.well-known/jwks.json", status: 200 })).body);
    const privateKey = readFileSync(join(stack.localDir, "signing-key.pem"), "utf8");
    const header = JSON.parse(Buffer.from(login.access_token.split(".")[0], "base64url").toString());
    const audience = JSON.parse(Buffer.from(login.access_token.split(".")[1], "base64url").toString()).aud;
    expect(discovery.keys[0].kid).to.equal(header.kid);
    cases.push(
      ...["/register", "/login", "/refresh", "/logout"].flatMap(envelopeCases),
      ...fieldCases("/register"),
      ...fieldCases("/login"),
      ...refreshCases("/refresh"),
      ...refreshCases("/logout"),
      ...tokenCases(login.access_token, privateKey, stack.url, audience, header.kid),
      ...routingCases,
    );
  });
  after(async () => {
    await stack.stop();
  });

  it("has at least 80 cases", () => {
    expect(cases.length).to.be.at.least(80);
  });

  it("answers every case with its exact status and code, writes nothing, and never echoes the password", async () => {
    const failures: string[] = [];
    for (const testCase of cases) {
      const before = await stack.snapshot();
      const reply = await send(stack.url, testCase);
      const problems: string[] = [];
      if (reply.status !== testCase.status)
        problems.push(`status ${reply.status}, expected ${testCase.status}: ${reply.body.slice(0, 200)}`);
      if (testCase.gateway !== undefined && reply.body !== testCase.gateway) problems.push(`body ${reply.body.slice(0, 200)}`);
      if (testCase.code !== undefined) {
        const code = reply.contentType?.startsWith("application/problem+json") ? JSON.parse(reply.body).code : undefined;
        if (code !== testCase.code) problems.push(`code ${code}, expected ${testCase.code}`);
      }
      if (reply.status >= 500) problems.push("a 5xx");
      if (reply.body.includes(PASSWORD)) problems.push("the password was echoed");
      if ((await stack.snapshot()) !== before) problems.push("the table changed");
      if (problems.length) failures.push(`${testCase.name}: ${problems.join("; ")}`);
    }
    expect(failures, failures.join("\n")).to.deep.equal([]);
  });

  it("never logs the password", () => {
    expect(logs.lines.join("\n")).not.to.include(PASSWORD);
    expect(stack.accessLog.join("\n")).not.to.include(PASSWORD);
  });
});
