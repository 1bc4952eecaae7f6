import type { User, UserSummary } from "../data/user-store.js";

/** What the API shows of a user: never the password hash, nor its sessions. */
export function userProfile({ id, username, createdAt }: Pick<User, "id" | "username" | "createdAt">) {
  return { id, username, createdAt };
}

/** What the admin routes show of a user: the profile, its roles and whether it is disabled. */
export function userSummary({ id, username, createdAt, roles, disabled }: UserSummary) {
  return { id, username, createdAt, roles: [...roles], disabled };
}
