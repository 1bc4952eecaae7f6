import { expect } from "chai";
import { createRouteMatcher } from "../../scripts/gateway-emulator/route-matcher.js";

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
});
