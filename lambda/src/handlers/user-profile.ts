import type { User } from "../data/user-store.js";

/** What the API shows of a user: never the password hash, nor its sessions. */
export function userProfile({ id, username, createdAt }: Pick<User, "id" | "username" | "createdAt">) {
  return { id, username, createdAt };
}
