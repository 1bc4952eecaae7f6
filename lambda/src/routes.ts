import { ADMIN } from "./auth/roles.js";
import { disableUser, enableUser, getUser, issuePasswordReset, listUsers, setRoles } from "./handlers/admin-users.js";
import { deleteAccount } from "./handlers/delete-account.js";
import { health } from "./handlers/health.js";
import { login } from "./handlers/login.js";
import { logout } from "./handlers/logout.js";
import { me } from "./handlers/me.js";
import { openApi } from "./handlers/openapi.js";
import { changePassword } from "./handlers/password.js";
import { resetPassword } from "./handlers/password-reset.js";
import { refresh } from "./handlers/refresh.js";
import { register } from "./handlers/register.js";
import { endAllSessions, endSession, listSessions } from "./handlers/sessions.js";
import { jwks, openidConfiguration } from "./handlers/well-known.js";
import type { RouteTable } from "./router.js";
import { pathParameters, requestSchemas } from "./schemas/requests.js";
import * as bodies from "./schemas/responses.js";

const ADMIN_ONLY = [ADMIN] as const;
const TOKENS = { 200: { description: "Tokens for the session", body: bodies.tokenResponse } };
const DONE = { 204: { description: "Done" } };
const USER_PATH = { id: pathParameters.userId };
const ADMIN_USER = { auth: "jwt", scopes: ADMIN_ONLY, path: USER_PATH } as const;

/**
 * The single source of truth for routes: what each one accepts and answers (JSON Schemas, from which the
 * function's validators and build/openapi.json are made) and who may call it. The build turns it into
 * build/routes.json, from which Terraform creates one API Gateway route per entry and the local gateway
 * serves the same set.
 */
export const routes = {
  "POST /register": {
    auth: "public",
    handler: register,
    summary: "Register a user",
    body: requestSchemas.registration,
    responses: { 201: { description: "The new user", body: bodies.userProfile } },
    problems: ["password_too_long", "username_taken", "unavailable"],
  },
  "POST /login": {
    auth: "public",
    handler: login,
    summary: "Log in: start a session",
    description: "An unknown user and a wrong password get the same answer. 10 attempts per username in 15 minutes, then `429`.",
    body: requestSchemas.credentials,
    responses: TOKENS,
    problems: ["password_too_long", "invalid_credentials", "too_many_attempts", "unavailable"],
  },
  "POST /refresh": {
    auth: "public",
    handler: refresh,
    summary: "Refresh: new tokens, and the refresh token sent stops working",
    description: "A refresh token that was already rotated revokes its whole session.",
    body: requestSchemas.refreshToken,
    responses: TOKENS,
    problems: ["invalid_grant", "unavailable"],
  },
  "POST /logout": {
    auth: "public",
    handler: logout,
    summary: "Log out: end the refresh token's session",
    description: "`204` also for an unknown or revoked token.",
    body: requestSchemas.refreshToken,
    responses: DONE,
    problems: ["unavailable"],
  },
  "GET /me": {
    auth: "jwt",
    handler: me,
    summary: "The caller",
    responses: { 200: { description: "The caller's profile", body: bodies.userProfile } },
    problems: [],
  },
  "DELETE /me": {
    auth: "jwt",
    handler: deleteAccount,
    summary: "Delete the caller's account, its sessions and its username",
    description: "The password again; a wrong one counts toward the username's lockout.",
    body: requestSchemas.passwordConfirmation,
    responses: DONE,
    problems: ["password_too_long", "invalid_credentials", "too_many_attempts"],
  },
  "POST /password": {
    auth: "jwt",
    handler: changePassword,
    summary: "Change the password: tokens for a new session, every other session ends",
    body: requestSchemas.passwordChange,
    responses: TOKENS,
    problems: ["password_too_long", "invalid_credentials", "too_many_attempts"],
  },
  "GET /sessions": {
    auth: "jwt",
    handler: listSessions,
    summary: "The caller's live sessions",
    responses: { 200: { description: "Live sessions, newest first", body: bodies.sessionList } },
    problems: [],
  },
  "DELETE /sessions/{id}": {
    auth: "jwt",
    handler: endSession,
    summary: "End one of the caller's sessions",
    path: { id: pathParameters.sessionId },
    responses: DONE,
    problems: ["not_found"],
  },
  "DELETE /sessions": {
    auth: "jwt",
    handler: endAllSessions,
    summary: "Sign out everywhere, this session included",
    responses: DONE,
    problems: [],
  },
  "POST /password/reset": {
    auth: "public",
    handler: resetPassword,
    summary: "Set a new password with a reset code from an admin",
    description: "A wrong, expired or used code, an unknown username and a disabled account get one and the same answer.",
    body: requestSchemas.passwordReset,
    responses: TOKENS,
    problems: ["password_too_long", "invalid_reset_code", "too_many_attempts", "unavailable"],
  },
  "GET /admin/users": {
    auth: "jwt",
    scopes: ADMIN_ONLY,
    audit: "users.list",
    handler: listUsers,
    summary: "List users, a page at a time",
    description: "Follow `next_cursor` until it is null. Reads an eventually consistent index.",
    query: requestSchemas.userListQuery,
    responses: { 200: { description: "A page of users", body: bodies.userPage } },
    problems: ["validation_failed"],
  },
  "GET /admin/users/{id}": {
    ...ADMIN_USER,
    audit: "users.get",
    handler: getUser,
    summary: "One user",
    responses: { 200: { description: "The user", body: bodies.userSummary } },
    problems: ["not_found"],
  },
  "POST /admin/users/{id}/disable": {
    ...ADMIN_USER,
    audit: "users.disable",
    handler: disableUser,
    summary: "Disable a user: its sessions end, its login and refresh fail",
    responses: DONE,
    problems: ["not_found", "last_admin"],
  },
  "POST /admin/users/{id}/enable": {
    ...ADMIN_USER,
    audit: "users.enable",
    handler: enableUser,
    summary: "Enable a disabled user",
    responses: DONE,
    problems: ["not_found"],
  },
  "PUT /admin/users/{id}/roles": {
    ...ADMIN_USER,
    audit: "users.set_roles",
    handler: setRoles,
    summary: "Set a user's roles",
    description: "Removing the role of the last enabled admin is `409 last_admin`.",
    body: requestSchemas.roles,
    responses: { 200: { description: "The user", body: bodies.userSummary } },
    problems: ["not_found", "last_admin"],
  },
  "POST /admin/users/{id}/password-reset": {
    ...ADMIN_USER,
    audit: "users.password_reset",
    handler: issuePasswordReset,
    summary: "Issue a password-reset code for a user",
    responses: { 201: { description: "The code, valid one hour", body: bodies.resetCode } },
    problems: ["not_found"],
  },
  "GET /health": {
    auth: "public",
    handler: health,
    summary: "Health",
    responses: { 200: { description: "The function runs", body: bodies.health } },
    problems: [],
  },
  "GET /.well-known/openid-configuration": {
    auth: "public",
    handler: openidConfiguration,
    summary: "OIDC discovery",
    responses: { 200: { description: "The discovery document", body: bodies.openidConfiguration } },
    problems: [],
  },
  "GET /.well-known/jwks.json": {
    auth: "public",
    handler: jwks,
    summary: "The signing key set",
    responses: { 200: { description: "Every key of the set", body: bodies.jwks } },
    problems: [],
  },
  "GET /openapi.json": {
    auth: "public",
    handler: openApi,
    summary: "This API's OpenAPI 3.1 description",
    description: "Generated from the route table that serves the API; `servers` is the API's base URL.",
    responses: { 200: { description: "The document", body: bodies.openApiDocument } },
    problems: [],
  },
} satisfies RouteTable;
