import definition from "./table-definition.json" with { type: "json" };

/**
 * The one table's shape. The JSON file is the single definition: the local stack creates the table from it
 * and Terraform reads it, so neither can drift from what this code expects.
 */
export const TABLE = definition;

/** Item kinds share the partition key, prefixed so no value of one kind can collide with another. */
export const keys = {
  user: (username: string) => ({ [TABLE.partitionKey.name]: { S: `user#${username}` } }),
  session: (sessionId: string) => ({ [TABLE.partitionKey.name]: { S: `session#${sessionId}` } }),
  loginAttempts: (username: string) => ({ [TABLE.partitionKey.name]: { S: `login-attempts#${username}` } }),
};
