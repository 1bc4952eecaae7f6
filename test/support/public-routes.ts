/**
 * Routes anyone may call without a token. Making a route public is a decision, taken here on purpose and
 * seen in review, never by leaving `auth: "jwt"` off a route-table line: test/unit/public-routes.test.ts
 * (in make check) fails for a public route of lambda/src/routes.ts that is not listed, and the Terraform
 * plan test fails for a deployed route without the JWT authorizer that is not listed.
 */
export const PUBLIC_ROUTES = [
  "POST /register",
  "POST /login",
  "POST /refresh",
  "POST /logout",
  "POST /password/reset",
  "GET /health",
  "GET /.well-known/openid-configuration",
  "GET /.well-known/jwks.json",
  "GET /openapi.json",
];
