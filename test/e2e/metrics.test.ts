/**
 * The metrics a deployed stack would get, seen where CloudWatch Logs would read them: in the function's log
 * line of each request, over real HTTP through the local gateway (what `make dev` runs). Each row makes one
 * event happen and finds its request's line by the gateway's request id.
 */
import { expect } from "chai";
import { grantAdmin } from "../support/admins.js";
import { emfMetrics, metricValues } from "../support/emf.js";
import { postJson, request, type TestReply } from "../support/http.js";
import { startTestStack } from "../support/stack.js";
import { captureFunctionLogs } from "../support/stdout.js";

const PASSWORD = "metrics are counted";
/** Attempts the lockout allows in a window (README: 10 per username per 15 minutes). */
const ATTEMPTS_BEFORE_LOCKOUT = 10;

describe("metrics of the function's log line, through the local stack", function () {
  this.timeout(90_000);
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  const logs = captureFunctionLogs();
  let names = 0;

  before(async () => {
    stack = await startTestStack();
  });
  after(() => stack.stop());

  const url = (path: string) => `${stack.url}${path}`;
  async function registered(): Promise<string> {
    const username = `metrics-${++names}`;
    expect((await postJson(url("/register"), { username, password: PASSWORD })).status).to.equal(201);
    return username;
  }
  async function loggedIn(username: string) {
    const reply = await postJson(url("/login"), { username, password: PASSWORD });
    expect(reply.status).to.equal(200);
    return reply.json as { access_token: string; refresh_token: string };
  }
  /** A new admin's authorization header, and a new user for it to act on (registration answers with the id). */
  async function adminWithTarget() {
    const admin = await registered();
    await grantAdmin(stack.dynamodbEndpoint, stack.tableName, admin);
    const headers = { authorization: `Bearer ${(await loggedIn(admin)).access_token}` };
    const username = `metrics-${++names}`;
    const reply = await postJson(url("/register"), { username, password: PASSWORD });
    expect(reply.status).to.equal(201);
    return { headers, target: { username, id: (reply.json as { id: string }).id } };
  }
  /** The function's request line for a reply: the gateway sends its request id, which the line carries. */
  function lineOf(reply: TestReply): string {
    const requestId = reply.headers.get("apigw-requestid");
    const lines = logs.lines.filter((line) => line.includes('"message":"request"') && JSON.parse(line).requestId === requestId);
    expect(lines, `one request line for ${requestId}`).to.have.length(1);
    return lines[0]!;
  }

  const rows: { event: string; routeKey: string; status: number; act: () => Promise<TestReply> }[] = [
    {
      event: "LoginFailed",
      routeKey: "POST /login",
      status: 401,
      act: async () => postJson(url("/login"), { username: await registered(), password: `${PASSWORD} wrong` }),
    },
    {
      event: "Lockouts",
      routeKey: "POST /login",
      status: 429,
      act: async () => {
        const username = await registered();
        for (let attempt = 0; attempt < ATTEMPTS_BEFORE_LOCKOUT; attempt++) {
          expect((await postJson(url("/login"), { username, password: `${PASSWORD} wrong` })).status).to.equal(401);
        }
        return postJson(url("/login"), { username, password: PASSWORD });
      },
    },
    {
      event: "RefreshTokenReuse",
      routeKey: "POST /refresh",
      status: 401,
      act: async () => {
        const tokens = await loggedIn(await registered());
        expect((await postJson(url("/refresh"), { refresh_token: tokens.refresh_token })).status).to.equal(200);
        return postJson(url("/refresh"), { refresh_token: tokens.refresh_token });
      },
    },
    {
      event: "LoginSucceeded",
      routeKey: "POST /login",
      status: 200,
      act: async () => postJson(url("/login"), { username: await registered(), password: PASSWORD }),
    },
    {
      event: "Registrations",
      routeKey: "POST /register",
      status: 201,
      act: () => postJson(url("/register"), { username: "metrics-new", password: PASSWORD }),
    },
    {
      event: "PasswordChanges",
      routeKey: "POST /password",
      status: 200,
      act: async () => {
        const { access_token } = await loggedIn(await registered());
        return postJson(
          url("/password"),
          { current_password: PASSWORD, new_password: `${PASSWORD} anew` },
          { authorization: `Bearer ${access_token}` },
        );
      },
    },
    {
      event: "AdminActions",
      routeKey: "POST /admin/users/{id}/disable",
      status: 204,
      act: async () => {
        const { headers, target } = await adminWithTarget();
        return request(url(`/admin/users/${target.id}/disable`), { method: "POST", headers });
      },
    },
    {
      event: "PasswordChanges",
      routeKey: "POST /password/reset",
      status: 200,
      act: async () => {
        const { headers, target } = await adminWithTarget();
        const issued = await request(url(`/admin/users/${target.id}/password-reset`), { method: "POST", headers });
        const { reset_code } = issued.json as { reset_code: string };
        return postJson(url("/password/reset"), { username: target.username, reset_code, new_password: `${PASSWORD} reset` });
      },
    },
    {
      event: "RevokedTokenRefusals",
      routeKey: "GET /me",
      status: 401,
      act: async () => {
        const tokens = await loggedIn(await registered());
        expect((await postJson(url("/logout"), { refresh_token: tokens.refresh_token })).status).to.equal(204);
        // The gateway still accepts the well-signed token; the function's revocation check refuses it.
        return request(url("/me"), { headers: { authorization: `Bearer ${tokens.access_token}` } });
      },
    },
  ];

  for (const { event, routeKey, status, act } of rows) {
    it(`${event}: in the line of the ${routeKey} that answered ${status}`, async () => {
      const reply = await act();
      expect(reply.status).to.equal(status);
      const line = lineOf(reply);
      expect(JSON.parse(line)).to.include({ routeKey, status });
      const statusMetric = status >= 400 ? { ClientErrors: 1 } : {};
      expect(metricValues(line)).to.deep.equal({ Requests: 1, ...statusMetric, [event]: 1 });
      const metric = emfMetrics(line).find((candidate) => candidate.name === event)!;
      expect(metric).to.include({ namespace: "auth-api", unit: "Count", value: 1 });
      expect(metric.dimensions).to.deep.equal({});
      expect(emfMetrics(line).find((candidate) => candidate.name === "Requests")!.dimensions).to.deep.equal({ route: routeKey });
    });
  }
});
