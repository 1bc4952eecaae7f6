import { createAccountStanding } from "../../lambda/src/auth/account-standing.js";
import { ADMIN } from "../../lambda/src/auth/roles.js";
import { createAdminRosterStore } from "../../lambda/src/data/admin-roster-store.js";
import { createUserStore } from "../../lambda/src/data/user-store.js";
import type { RouteTable } from "../../lambda/src/router.js";
import { routes } from "../../lambda/src/routes.js";
import { localClient } from "../../scripts/lib/dynamodb-engines.js";

/** Makes `username` an admin as `make admin` does: the function's own store operation, on the stack's table. */
export async function grantAdmin(dynamodbEndpoint: string, tableName: string, username: string): Promise<void> {
  const client = localClient(dynamodbEndpoint);
  try {
    const users = createUserStore(client, tableName);
    const user = await users.findByUsername(username);
    if (!user) throw new Error(`no user ${username}`);
    await createAccountStanding(users, createAdminRosterStore(client, tableName)).setRoles(user, [ADMIN]);
  } finally {
    client.destroy();
  }
}

/** Every route that requires the admin scope, as `[method, path template]`, read from the route table. */
export const ADMIN_ROUTES = Object.entries(routes as RouteTable)
  .filter(([, route]) => route.auth === "jwt" && route.scopes?.includes(ADMIN))
  .map(([routeKey]) => routeKey.split(" ") as [string, string]);
