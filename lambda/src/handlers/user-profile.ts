import type { User } from "../data/user-store.js";

/** What the API shows of a user: never the password hash. */
export function userProfile({ id, username, createdAt }: User) {
  return { id, username, createdAt };
}
