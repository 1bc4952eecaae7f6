import { FieldCheck } from "./fields.js";

export const USER_PAGE_LIMIT = { min: 1, max: 100, default: 50 } as const;
const DIGITS = /^[0-9]{1,3}$/;

export interface UserListQuery {
  limit: number;
  cursor: string | undefined;
}

/**
 * The query of `GET /admin/users`: `limit` (1 to 100, default 50) and `cursor`, nothing else. A query
 * parameter is a string: `limit` must be digits (a code rule) before the schema checks it as a number. API
 * Gateway joins a repeated parameter with commas, which no valid value contains.
 */
export function readUserListQuery(query: Record<string, string | undefined> | undefined): UserListQuery {
  const { limit: rawLimit, ...others } = query ?? {};
  const limit = rawLimit !== undefined && DIGITS.test(rawLimit) ? Number(rawLimit) : undefined;
  const check = new FieldCheck("userListQuery", limit === undefined ? others : { ...others, limit });
  if (rawLimit !== undefined && limit === undefined) check.rule("limit", "format");
  check.done();
  return { limit: limit ?? USER_PAGE_LIMIT.default, cursor: check.value("cursor") };
}
