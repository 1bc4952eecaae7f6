import type { FieldError } from "../http/problem.js";
import { failIfAny, unexpectedFields } from "./fields.js";

export const USER_PAGE_LIMIT = { min: 1, max: 100, default: 50 } as const;
/** Far longer than any cursor this API issues. */
const MAX_CURSOR_LENGTH = 1024;

export interface UserListQuery {
  limit: number;
  cursor: string | undefined;
}

/**
 * The query of `GET /admin/users`: `limit` (1 to 100, default 50) and `cursor`, nothing else. API Gateway
 * joins a repeated parameter with commas, which no valid value contains.
 */
export function readUserListQuery(query: Record<string, string | undefined> | undefined): UserListQuery {
  const parameters = query ?? {};
  const errors: FieldError[] = unexpectedFields(parameters, ["limit", "cursor"]);
  const { limit: rawLimit, cursor } = parameters;
  let limit: number = USER_PAGE_LIMIT.default;
  if (rawLimit !== undefined) {
    limit = /^[0-9]{1,3}$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (Number.isNaN(limit)) errors.push({ field: "limit", code: "format" });
    else if (limit < USER_PAGE_LIMIT.min || limit > USER_PAGE_LIMIT.max) errors.push({ field: "limit", code: "out_of_range" });
  }
  if (cursor !== undefined && cursor.length === 0) errors.push({ field: "cursor", code: "empty" });
  if (cursor !== undefined && cursor.length > MAX_CURSOR_LENGTH) errors.push({ field: "cursor", code: "too_long" });
  failIfAny(errors);
  return { limit, cursor };
}
