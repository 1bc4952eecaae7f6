import { isRole, type Role } from "../auth/roles.js";
import { failIfAny, unexpectedFields } from "./fields.js";

/** The body of `PUT /admin/users/{id}/roles`: `{"roles": [...]}`, every role known, none twice. */
export function readRoles(body: Record<string, unknown>): Role[] {
  const errors = unexpectedFields(body, ["roles"]);
  const roles = Object.hasOwn(body, "roles") ? body.roles : undefined;
  if (roles === undefined) errors.push({ field: "roles", code: "required" });
  else if (!Array.isArray(roles)) errors.push({ field: "roles", code: "type" });
  else if (!roles.every(isRole) || new Set(roles).size !== roles.length) errors.push({ field: "roles", code: "format" });
  failIfAny(errors);
  return roles as Role[];
}
