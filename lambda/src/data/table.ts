import definition from "./table-definition.json" with { type: "json" };

/**
 * The one table's shape. The JSON file is the single definition: the local stack creates the table from it
 * and Terraform reads it, so neither can drift from what this code expects.
 */
export const TABLE = definition;

/**
 * Item kinds share the partition key, prefixed so no value of one kind can collide with another. A user's
 * sessions live inside its `user#` item, so one read answers every question the revocation check asks;
 * `refresh#` items record each refresh token ever issued, by its hash.
 */
export const keys = {
  user: (username: string) => ({ [TABLE.partitionKey.name]: { S: `user#${username}` } }),
  refreshToken: (hash: string) => ({ [TABLE.partitionKey.name]: { S: `refresh#${hash}` } }),
  loginAttempts: (username: string) => ({ [TABLE.partitionKey.name]: { S: `login-attempts#${username}` } }),
};
