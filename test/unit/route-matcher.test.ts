import { expect } from "chai";
import { createRouteMatcher } from "../../scripts/gateway-emulator/route-matcher.js";
import type { RouteManifestEntry } from "../../scripts/gateway-emulator/settings.js";

describe("gateway route matching", () => {
  const match = createRouteMatcher(
    ["GET /pets/dog", "ANY /pets/dog", "GET /pets/{id}", "GET /pets/{proxy+}", "GET /", "$default"].map((routeKey) => ({
      routeKey,
      auth: "public" as const,
    })),
  );
  const routeOf = (method: string, path: string) => match(method, path)?.route.routeKey;

  it("takes a route that names the method and the exact path first", () => {
    expect(match("GET", "/pets/dog")).to.deep.equal({ route: { routeKey: "GET /pets/dog", auth: "public" }, pathParameters: undefined });
    expect(routeOf("GET", "/")).to.equal("GET /");
    expect(routeOf("POST", "/pets/dog")).to.equal("ANY /pets/dog");
  });

  it("decodes the path before comparing it with literal segments", () => {
    expect(routeOf("GET", "/pets/d%6Fg")).to.equal("GET /pets/dog");
    expect(match("GET", "/pets/d%2Fg")).to.deep.include({ pathParameters: { id: "d/g" } });
  });

  it("does not treat a trailing slash or an empty segment as the same path", () => {
    expect(routeOf("GET", "/pets/dog/")).to.equal("GET /pets/{proxy+}");
    expect(routeOf("GET", "/pets//dog")).to.equal("GET /pets/{proxy+}");
    expect(routeOf("DELETE", "/pets/dog/")).to.equal("$default");
  });

  it("refuses a route key defined twice, as API Gateway does", () => {
    expect(() =>
      createRouteMatcher([
        { routeKey: "GET /me", auth: "jwt" },
        { routeKey: "GET /me", auth: "public" },
      ]),
    ).to.throw(/GET \/me is defined twice/);
  });

  describe("refuses scopes API Gateway would not deploy or the emulator could not quote", () => {
    for (const [what, route, error] of [
      ["scopes on a public route", { routeKey: "GET /a", auth: "public", scopes: ["admin"] }, /GET \/a has scopes but no JWT authorizer/],
      [
        "more than 10 scopes",
        { routeKey: "GET /a", auth: "jwt", scopes: Array.from({ length: 11 }, (_, i) => `s${i}`) },
        /more than 10 scopes/,
      ],
      ["a scope with a space", { routeKey: "GET /a", auth: "jwt", scopes: ["a b"] }, /not an RFC 6749 scope-token: "a b"/],
      ["a scope with a quote", { routeKey: "GET /a", auth: "jwt", scopes: ['a"'] }, /not an RFC 6749 scope-token/],
      ["an empty scope", { routeKey: "GET /a", auth: "jwt", scopes: [""] }, /not an RFC 6749 scope-token/],
    ] as const) {
      it(what, () => {
        expect(() => createRouteMatcher([route as RouteManifestEntry])).to.throw(error);
      });
    }

    it("accepts up to 10 scope-tokens on a jwt route, and an empty list anywhere", () => {
      const scopes = ["admin", "orders/read", "reports:read", "a.b-c_d~e!#$%&'()*+,", ...["5", "6", "7", "8", "9", "10"]];
      expect(() =>
        createRouteMatcher([
          { routeKey: "GET /a", auth: "jwt", scopes },
          { routeKey: "GET /b", auth: "public", scopes: [] },
        ]),
      ).not.to.throw();
    });
  });
});
