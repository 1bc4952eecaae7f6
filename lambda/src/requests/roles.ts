import type { Role } from "../auth/roles.js";
import { FieldCheck } from "./fields.js";

/** The body of `PUT /admin/users/{id}/roles`: `{"roles": [...]}`, every role known, none twice. */
export function readRoles(body: Record<string, unknown>): Role[] {
  const check = new FieldCheck("roles", body);
  check.done();
  return check.value<Role[]>("roles")!;
}
