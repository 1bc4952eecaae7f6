/**
 * The emulator's HTTP API JWT authorizer over real HTTP: what it refuses and how, what the function
 * receives of a token it accepts, and routes with authorization scopes. Each test named in the table of
 * scripts/gateway-emulator/README.md asserts the behaviour of its row.
 */
import { expect } from "chai";
import { testGrant } from "../support/grants.js";
import { request } from "../support/http.js";
import { rawExchange } from "../support/raw-http.js";
import { FIXTURE_AUDIENCE, fixtureGatewayForSuite, fixtureTokens } from "./fixtures/gateway-fixture.js";

describe("gateway emulator: the JWT authorizer", function () {
  this.timeout(30_000);
  const fixture = fixtureGatewayForSuite();

  const signed = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) => fixture.forge.signed(claims, header);
  const withToken = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  for (const [what, authorization] of [
    ["with Bearer", (token: string) => `Bearer ${token}`],
    ["without Bearer", (token: string) => token],
  ] as const) {
    it(`passes a token the API issued, ${what}`, async () => {
      const { token } = await fixtureTokens(fixture.url).issue(testGrant("user-1", "alice"));
      const event = await fixture.eventOf("/private", { headers: { authorization: authorization(token) } });
      expect(event.routeKey).to.equal("GET /private");
      expect(event.requestContext.authorizer.jwt.claims).to.include({ sub: "user-1", preferred_username: "alice", iss: fixture.url });
    });
  }

  describe('refuses a missing or invalid token with 401 {"message":"Unauthorized"} and a fixed www-authenticate, without invoking the function', () => {
    const invalid = (description: string) => `Bearer scope="" error="invalid_token" error_description="${description}"`;
    // An attacker's header parameter, which jose's error message would quote.
    const injected = "x\r\nset-cookie: stolen=1";
    const cases: { name: string; authorization: () => string | undefined; wwwAuthenticate: string }[] = [
      { name: "no authorization header", authorization: () => undefined, wwwAuthenticate: "Bearer" },
      { name: "an empty authorization header", authorization: () => "", wwwAuthenticate: "Bearer" },
      { name: "the scheme without a token", authorization: () => "Bearer ", wwwAuthenticate: "Bearer" },
      { name: "a bearer that is not a JWT", authorization: () => "Bearer not.a.token", wwwAuthenticate: invalid("token is malformed") },
      { name: "another scheme", authorization: () => "Basic dXNlcjpwYXNz", wwwAuthenticate: invalid("token is malformed") },
      { name: "an expired token", authorization: () => signed({ exp: fixture.now() - 10 }), wwwAuthenticate: invalid("token is expired") },
      {
        name: "nbf in the future",
        authorization: () => signed({ nbf: fixture.now() + 60 }),
        wwwAuthenticate: invalid("token is not valid yet"),
      },
      {
        name: "iat in the future",
        authorization: () => signed({ iat: fixture.now() + 60 }),
        wwwAuthenticate: invalid("token used before issued"),
      },
      {
        name: "a wrong issuer",
        authorization: () => signed({ iss: "https://elsewhere.example" }),
        wwwAuthenticate: invalid("issuer does not match"),
      },
      {
        name: "a wrong audience (AWS's documented text)",
        authorization: () => signed({ aud: "someone-else" }),
        wwwAuthenticate: invalid("the token does not have a valid audience"),
      },
      {
        name: "a wrong aud with the right client_id (aud wins)",
        authorization: () => signed({ aud: "someone-else", client_id: FIXTURE_AUDIENCE }),
        wwwAuthenticate: invalid("the token does not have a valid audience"),
      },
      { name: "no exp", authorization: () => signed({ exp: undefined }), wwwAuthenticate: invalid("token has no exp claim") },
      {
        name: "an unknown kid",
        authorization: () => signed({}, { kid: "unknown-kid" }),
        wwwAuthenticate: invalid("no matching key in the JWKS"),
      },
      { name: "a bad signature", authorization: () => `${signed().slice(0, -4)}AAAA`, wwwAuthenticate: invalid("signature is invalid") },
      { name: 'alg "none"', authorization: () => fixture.forge.unsigned(), wwwAuthenticate: invalid("signing method is invalid") },
      {
        name: "HS256 signed with the public key",
        authorization: () => fixture.forge.hs256WithPublicKey(),
        wwwAuthenticate: invalid("signing method is invalid"),
      },
      {
        name: "a crit header naming a parameter with CR/LF",
        authorization: () => signed({}, { crit: [injected], [injected]: true }),
        wwwAuthenticate: invalid("token is invalid"),
      },
      {
        name: "a crit header naming a parameter outside Latin-1",
        authorization: () => signed({}, { crit: ["パラメータ€"], "パラメータ€": true }),
        wwwAuthenticate: invalid("token is invalid"),
      },
      {
        name: "a kid with CR/LF and characters outside Latin-1",
        authorization: () => signed({}, { kid: `${injected}€` }),
        wwwAuthenticate: invalid("no matching key in the JWKS"),
      },
    ];
    for (const { name, authorization, wwwAuthenticate } of cases) {
      it(name, async () => {
        const before = fixture.invoked("GET /private");
        const token = authorization();
        const reply = await request(`${fixture.url}/private`, token === undefined ? {} : { headers: { authorization: token } });
        expect(reply.status, String(token)).to.equal(401);
        expect(reply.text).to.equal('{"message":"Unauthorized"}');
        expect(reply.headers.get("www-authenticate")).to.equal(wwwAuthenticate);
        expect(reply.headers.get("set-cookie")).to.equal(null);
        expect(fixture.invoked("GET /private")).to.equal(before);
      });
    }

    it("an authorization header with bytes outside ASCII", async () => {
      const reply = await rawExchange(fixture.url, "GET /private HTTP/1.1\r\nauthorization: Bearer \u00e9\u00ff.\u00e9.\u00ff");
      expect(reply.status).to.equal(401);
      expect(reply.json).to.deep.equal({ message: "Unauthorized" });
      expect(reply.head).to.include(`www-authenticate: ${invalid("token is malformed")}\r\n`);
    });
  });

  describe("hands the claims over as strings (arrays as [a b], objects as map[k:v], null claims left out) in requestContext.authorizer.jwt alone, without principalId or integrationLatency", () => {
    it("claims of every JSON type", async () => {
      const token = signed({
        aud: ["other", FIXTURE_AUDIENCE],
        roles: ["a", "b"],
        admin: false,
        level: 2.5,
        address: { zip: 1, city: "x", at: null },
        nickname: null,
      });
      const { claims } = (await fixture.eventOf("/private", withToken(token))).requestContext.authorizer.jwt;
      expect(claims).to.include({
        aud: `[other ${FIXTURE_AUDIENCE}]`,
        roles: "[a b]",
        admin: "false",
        level: "2.5",
        address: "map[at:<nil> city:x zip:1]",
      });
      expect(claims.exp).to.equal(String(JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).exp));
      expect(claims).not.to.have.property("nickname");
      for (const value of Object.values(claims)) expect(value).to.be.a("string");
    });

    it("nothing but jwt.claims and jwt.scopes", async () => {
      const { authorizer } = (await fixture.eventOf("/private", withToken(signed()))).requestContext;
      expect(Object.keys(authorizer)).to.deep.equal(["jwt"]);
      expect(Object.keys(authorizer.jwt).sort()).to.deep.equal(["claims", "scopes"]);
    });

    it("claims holding CR/LF and characters outside Latin-1, intact", async () => {
      const name = "a\r\nset-cookie: b=1 €ü";
      const reply = await request(`${fixture.url}/private`, withToken(signed({ preferred_username: name, [name]: name })));
      expect(reply.status).to.equal(200);
      expect(reply.json.event.requestContext.authorizer.jwt.claims).to.include({ preferred_username: name, [name]: name });
    });
  });

  describe('lets a token through a route with authorization scopes only if its scope or scp claim has one of them, else answers 403 {"message":"Forbidden"} without invoking the function', () => {
    const passes: [string, string, Record<string, unknown>][] = [
      ["GET /admin", "scope: the route's scope", { scope: "admin" }],
      ["GET /admin", "scope: the route's scope among others", { scope: "read admin write" }],
      ["GET /admin", "scp: a list with the route's scope", { scp: ["admin"] }],
      ["GET /admin", "scp: a space-separated string with the route's scope", { scp: "read admin" }],
      ["GET /reports", "scope: the route's first scope", { scope: "reports:read" }],
      ["GET /reports", "scope: the route's second scope", { scope: "admin" }],
    ];
    for (const [routeKey, what, claims] of passes) {
      it(`${routeKey} passes ${what}`, async () => {
        const path = routeKey.split(" ")[1]!;
        const event = await fixture.eventOf(path, withToken(signed(claims)));
        expect(event.routeKey).to.equal(routeKey);
      });
    }

    const refused: [string, string, Record<string, unknown>, string][] = [
      ["GET /admin", "no scope claim", {}, "admin"],
      ["GET /admin", "an empty scope", { scope: "" }, "admin"],
      ["GET /admin", "a scope that only starts like the route's", { scope: "administrator" }, "admin"],
      ["GET /admin", "the route's scope in another letter case", { scope: "Admin" }, "admin"],
      ["GET /admin", "an empty scp", { scp: [] }, "admin"],
      ["GET /admin", "the scope of another route", { scope: "reports:read" }, "admin"],
      ["GET /reports", "none of the route's scopes", { scope: "read write" }, "reports:read admin"],
    ];
    for (const [routeKey, what, claims, routeScopes] of refused) {
      it(`${routeKey} refuses ${what}`, async () => {
        const before = fixture.invoked(routeKey);
        const reply = await request(`${fixture.url}${routeKey.split(" ")[1]}`, withToken(signed(claims)));
        expect(reply.status).to.equal(403);
        expect(reply.text).to.equal('{"message":"Forbidden"}');
        expect(reply.headers.get("www-authenticate")).to.equal(`Bearer scope="${routeScopes}" error="insufficient_scope"`);
        expect(fixture.invoked(routeKey)).to.equal(before);
      });
    }

    it("GET /admin refuses an expired token that has the scope with 401, as any route does", async () => {
      const reply = await request(`${fixture.url}/admin`, withToken(signed({ scope: "admin", exp: fixture.now() - 10 })));
      expect(reply.status).to.equal(401);
      expect(reply.text).to.equal('{"message":"Unauthorized"}');
    });
  });

  describe("sets requestContext.authorizer.jwt.scopes to the token's scopes on a route with authorization scopes and to null on any other", () => {
    for (const [path, claims, scopes] of [
      ["/private", { scope: "admin read" }, null],
      ["/private", {}, null],
      ["/admin", { scope: "read admin" }, ["read", "admin"]],
      ["/admin", { scp: ["admin", "x"] }, ["admin", "x"]],
    ] as const) {
      it(`${path} with ${JSON.stringify(claims)}: ${JSON.stringify(scopes)}`, async () => {
        const event = await fixture.eventOf(path, withToken(signed(claims)));
        expect(event.requestContext.authorizer.jwt.scopes).to.deep.equal(scopes);
      });
    }
  });
});
