import { expect } from "chai";
import { routes } from "../../lambda/src/routes.js";
import { PUBLIC_ROUTES } from "../support/public-routes.js";

describe("public routes", () => {
  for (const [routeKey, { auth }] of Object.entries(routes)) {
    if (auth === "public") {
      it(`${routeKey} is public, so it must be in test/support/public-routes.ts`, () => {
        expect(PUBLIC_ROUTES).to.include(routeKey);
      });
    }
  }

  for (const routeKey of PUBLIC_ROUTES) {
    it(`${routeKey}, listed as public, is a public route of the route table`, () => {
      expect(routes).to.have.property(routeKey);
      expect(routes[routeKey as keyof typeof routes].auth).to.equal("public");
    });
  }
});
