/**
 * `make admin USERNAME=<name>`: grants the admin role to an existing user, the one way to make the first
 * admin (no HTTP route can make an admin from nothing). It runs the very store operation the admin route
 * `PUT /admin/users/{id}/roles` runs, last-admin roster included, with a real SDK client:
 *
 * - against the running `make dev` (found through LOCAL_DIR, `.local/` by default), without stopping it;
 * - with TABLE_NAME (and AWS credentials and region, as the AWS CLI takes them) against a deployed stack's
 *   table, e.g. `TABLE_NAME=$(terraform -chdir=terraform output -raw table_name)`. DYNAMODB_ENDPOINT points
 *   that at another DynamoDB.
 */
import { type AccountStanding, createAccountStanding } from "../lambda/src/auth/account-standing.js";
import { ADMIN } from "../lambda/src/auth/roles.js";
import { canonicalUsername, usernameError } from "../lambda/src/auth/username.js";
import { createAdminRosterStore } from "../lambda/src/data/admin-roster-store.js";
import { createDynamoDbClient } from "../lambda/src/data/dynamodb-client.js";
import { createUserStore, type UserStore } from "../lambda/src/data/user-store.js";
import { localClient } from "./lib/dynamodb-engines.js";
import { findRunningStack } from "./lib/running-stack.js";

class AdminError extends Error {}

async function target(env: NodeJS.ProcessEnv) {
  const tableName = env.TABLE_NAME?.trim();
  if (tableName) {
    const endpoint = env.DYNAMODB_ENDPOINT?.trim();
    return { client: createDynamoDbClient(endpoint ? { endpoint } : {}), tableName, where: `table ${tableName}` };
  }
  const localDir = env.LOCAL_DIR?.trim() || ".local";
  const stack = await findRunningStack(localDir);
  if (!stack) {
    throw new AdminError(
      `no \`make dev\` is running from ${localDir}/: start it first (in another terminal), or set TABLE_NAME (with AWS credentials) for a deployed stack`,
    );
  }
  return { client: localClient(stack.dynamodbEndpoint), tableName: stack.tableName, where: `the make dev at ${stack.url}` };
}

async function grant(users: UserStore, standing: AccountStanding, username: string): Promise<string> {
  const user = await users.findByUsername(username);
  if (!user) throw new AdminError(`there is no user named ${username}: register it first`);
  if (user.disabled) throw new AdminError(`${username} is disabled: an admin must be an account that can log in`);
  const already = user.roles.includes(ADMIN);
  // Granted again even when held: that also puts the user back on the roster if a failed write had left it off.
  await standing.setRoles(user, already ? user.roles : [...user.roles, ADMIN]);
  return `${username} (${user.id}) ${already ? "was an admin already" : "is an admin now"}`;
}

async function main(): Promise<number> {
  const raw = process.argv[2]?.trim() ?? "";
  if (!raw) throw new AdminError("USERNAME is required: make admin USERNAME=<name>");
  const username = canonicalUsername(raw);
  if (usernameError(username)) throw new AdminError(`${JSON.stringify(raw)} cannot be a username`);
  const { client, tableName, where } = await target(process.env);
  try {
    const users = createUserStore(client, tableName);
    const outcome = await grant(users, createAccountStanding(users, createAdminRosterStore(client, tableName)), username);
    console.log(`make admin: ${outcome}, in ${where}.
Its next login or refresh gets an access token with scope "admin"; tokens issued before keep the scope they have.`);
    return 0;
  } catch (error) {
    if (error instanceof AdminError) throw error;
    throw new AdminError(`cannot update ${where}: ${(error as Error).message}`);
  } finally {
    client.destroy();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof AdminError)) throw error;
  console.error(`make admin: ${error.message}`);
  process.exitCode = 1;
}
