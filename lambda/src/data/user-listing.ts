import { type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { PageCursors } from "./page-cursors.js";
import { USERS_BY_ID } from "./table.js";
import { toSummary, type UserSummary } from "./user-store.js";

export interface UserPage {
  users: UserSummary[];
  /** Null when the listing is complete. */
  nextCursor: string | null;
}

export interface UserListing {
  /**
   * One page of at most `limit` users, in no particular order; `cursor` continues a listing. A page may hold
   * fewer (the last one none) while `nextCursor` is not null. A cursor the API did not issue is refused
   * with `cursor-rejected`.
   */
  page(limit: number, cursor: string | undefined): Promise<UserPage>;
}

/** What a listing reads: the index projects exactly this, never a hash or a session. */
const SUMMARY_ATTRIBUTES = ["id", "username", "createdAt", "roles", "disabled"];

/**
 * Users are listed by scanning the users-by-id index, which holds user items only, so a page of N users
 * reads N index entries and never a session, a refresh-token record or a counter. The index is eventually
 * consistent: a change made a moment ago may not show yet (GET /admin/users/{id} reads the item itself).
 */
export function createUserListing(client: DynamoDBClient, tableName: string, cursors: PageCursors): UserListing {
  return {
    async page(limit, cursor) {
      const { Items = [], LastEvaluatedKey } = await client.send(
        new ScanCommand({
          TableName: tableName,
          IndexName: USERS_BY_ID.name,
          Limit: limit,
          ProjectionExpression: SUMMARY_ATTRIBUTES.map((_, i) => `#a${i}`).join(", "),
          ExpressionAttributeNames: Object.fromEntries(SUMMARY_ATTRIBUTES.map((name, i) => [`#a${i}`, name])),
          ...(cursor === undefined ? {} : { ExclusiveStartKey: await cursors.open(cursor) }),
        }),
      );
      return {
        users: Items.map(toSummary),
        nextCursor: LastEvaluatedKey === undefined ? null : await cursors.seal(LastEvaluatedKey),
      };
    },
  };
}
