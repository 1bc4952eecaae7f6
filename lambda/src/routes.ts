import { ADMIN } from "./auth/roles.js";
import { disableUser, enableUser, getUser, issuePasswordReset, listUsers, setRoles } from "./handlers/admin-users.js";
import { deleteAccount } from "./handlers/delete-account.js";
import { health } from "./handlers/health.js";
import { login } from "./handlers/login.js";
import { logout } from "./handlers/logout.js";
import { me } from "./handlers/me.js";
import { changePassword } from "./handlers/password.js";
import { resetPassword } from "./handlers/password-reset.js";
import { refresh } from "./handlers/refresh.js";
import { register } from "./handlers/register.js";
import { endAllSessions, endSession, listSessions } from "./handlers/sessions.js";
import { jwks, openidConfiguration } from "./handlers/well-known.js";
import type { RouteTable } from "./router.js";

const ADMIN_ONLY = [ADMIN] as const;

/**
 * The single source of truth for routes. The build turns it into build/routes.json, from which Terraform
 * creates one API Gateway route per entry and the local gateway serves the same set.
 */
export const routes = {
  "POST /register": { auth: "public", handler: register },
  "POST /login": { auth: "public", handler: login },
  "POST /refresh": { auth: "public", handler: refresh },
  "POST /logout": { auth: "public", handler: logout },
  "GET /me": { auth: "jwt", handler: me },
  "DELETE /me": { auth: "jwt", handler: deleteAccount },
  "POST /password": { auth: "jwt", handler: changePassword },
  "GET /sessions": { auth: "jwt", handler: listSessions },
  "DELETE /sessions/{id}": { auth: "jwt", handler: endSession },
  "DELETE /sessions": { auth: "jwt", handler: endAllSessions },
  "POST /password/reset": { auth: "public", handler: resetPassword },
  "GET /admin/users": { auth: "jwt", scopes: ADMIN_ONLY, audit: "users.list", handler: listUsers },
  "GET /admin/users/{id}": { auth: "jwt", scopes: ADMIN_ONLY, audit: "users.get", handler: getUser },
  "POST /admin/users/{id}/disable": { auth: "jwt", scopes: ADMIN_ONLY, audit: "users.disable", handler: disableUser },
  "POST /admin/users/{id}/enable": { auth: "jwt", scopes: ADMIN_ONLY, audit: "users.enable", handler: enableUser },
  "PUT /admin/users/{id}/roles": { auth: "jwt", scopes: ADMIN_ONLY, audit: "users.set_roles", handler: setRoles },
  "POST /admin/users/{id}/password-reset": { auth: "jwt", scopes: ADMIN_ONLY, audit: "users.password_reset", handler: issuePasswordReset },
  "GET /health": { auth: "public", handler: health },
  "GET /.well-known/openid-configuration": { auth: "public", handler: openidConfiguration },
  "GET /.well-known/jwks.json": { auth: "public", handler: jwks },
} satisfies RouteTable;
