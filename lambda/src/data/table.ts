import definition from "./table-definition.json" with { type: "json" };

/**
 * The one table's shape. The JSON file is the single definition: the local stack creates the table from it
 * and Terraform reads it, so neither can drift from what this code expects.
 */
export const TABLE = definition;

/**
 * Users by id, for the admin routes that name a user by id. Only user items have an `id` attribute, so the
 * index holds users and nothing else: scanning it lists users without reading a session, a refresh-token
 * record or a counter. It projects what a listing shows and none of what changes on every login (sessions),
 * so a login writes nothing to it.
 */
export const USERS_BY_ID = definition.globalSecondaryIndexes.find((index) => index.name === "users-by-id")!;

/**
 * Item kinds share the partition key, prefixed so no value of one kind can collide with another. A user's
 * sessions live inside its `user#` item, so one read answers every question the revocation check asks;
 * `refresh#` items record each refresh token ever issued, by its hash. Two single items serve the admin
 * routes: the admin roster (the last-admin rule, see data/admin-roster-store.ts) and the key that
 * authenticates page cursors (data/page-cursors.ts).
 */
export const keys = {
  user: (username: string) => ({ [TABLE.partitionKey.name]: { S: `user#${username}` } }),
  refreshToken: (hash: string) => ({ [TABLE.partitionKey.name]: { S: `refresh#${hash}` } }),
  loginAttempts: (username: string) => ({ [TABLE.partitionKey.name]: { S: `login-attempts#${username}` } }),
  adminRoster: () => ({ [TABLE.partitionKey.name]: { S: "roster#admins" } }),
  pageCursorKey: () => ({ [TABLE.partitionKey.name]: { S: "secret#page-cursors" } }),
};

/** The username of a `user#` partition key, or undefined for any other key. */
export function usernameOfKey(partitionKey: string | undefined): string | undefined {
  return partitionKey?.startsWith("user#") ? partitionKey.slice("user#".length) : undefined;
}
