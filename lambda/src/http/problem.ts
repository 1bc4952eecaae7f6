/** Every error the API can answer with: RFC 9457 problem details keyed by a stable `code`. */

export const PROBLEMS = {
  invalid_json: { status: 400, title: "Request body is not a JSON object" },
  validation_failed: { status: 400, title: "Request body failed validation" },
  password_too_long: { status: 400, title: "Password is longer than 72 bytes in UTF-8" },
  invalid_credentials: { status: 401, title: "Invalid username or password" },
  invalid_grant: { status: 401, title: "Refresh token is invalid, expired or revoked" },
  invalid_reset_code: { status: 400, title: "Reset code is invalid, expired or used" },
  invalid_token: { status: 401, title: "Access token is invalid" },
  insufficient_scope: { status: 403, title: "Access token lacks a scope this route requires" },
  not_found: { status: 404, title: "Not found" },
  username_taken: { status: 409, title: "Username is already taken" },
  last_admin: { status: 409, title: "The last admin cannot be removed" },
  payload_too_large: { status: 413, title: "Request body is larger than 16 KiB" },
  unsupported_media_type: { status: 415, title: "Request body must be application/json" },
  too_many_attempts: { status: 429, title: "Too many failed login attempts" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Service temporarily unavailable" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export interface FieldError {
  field: string;
  code: string;
}

export interface ProblemOptions {
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
}

/** Thrown anywhere below the router; the router turns it into the response, in one place. */
export class Problem extends Error {
  override name = "Problem";
  readonly status: number;

  constructor(
    readonly code: ProblemCode,
    readonly options: ProblemOptions = {},
  ) {
    super(code);
    this.status = PROBLEMS[code].status;
  }
}

export const PROBLEM_TYPE_PREFIX = "urn:auth-api:problem:";

export function problemBody(problem: Problem): Record<string, unknown> {
  const { detail, errors } = problem.options;
  return {
    type: PROBLEM_TYPE_PREFIX + problem.code,
    title: PROBLEMS[problem.code].title,
    status: problem.status,
    code: problem.code,
    ...(detail === undefined ? {} : { detail }),
    ...(errors === undefined ? {} : { errors }),
  };
}
