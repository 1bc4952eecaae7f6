/**
 * Roles a user can hold. An access token carries them, space-separated, as its `scope` claim (RFC 9068,
 * section 2.2.3.1; RFC 8693, section 4.2), so a role is also the scope a route can require.
 */
export const ROLES = ["admin"] as const;

export type Role = (typeof ROLES)[number];

export const ADMIN: Role = "admin";

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/** The `scope` claim of a user with these roles: space-separated, the empty string for none. */
export function scopeOf(roles: readonly Role[]): string {
  return roles.join(" ");
}

/** Whether a token with this `scope` claim, of a user who holds `roles` now, may use a route requiring one of `required`. */
export function grantsOneOf(scope: string, roles: readonly Role[], required: readonly string[]): boolean {
  const scopes = scope.split(" ");
  return required.some((wanted) => scopes.includes(wanted) && (roles as readonly string[]).includes(wanted));
}
