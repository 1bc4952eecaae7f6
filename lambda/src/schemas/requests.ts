import { PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARACTERS } from "../auth/password-rules.js";
import { ADMIN } from "../auth/roles.js";
import { USERNAME_LENGTH } from "../auth/username.js";
import { type JsonSchema, object } from "./json-schema.js";

/**
 * The request schemas: what a schema can say, the function checks with the validators compiled from these
 * (requests/validators.generated.ts, `make build`); what it cannot (canonical usernames, byte lengths, the
 * common-password list) the readers in requests/ check in code, and the descriptions say in words.
 */

const username: JsonSchema = {
  type: "string",
  description:
    `Canonicalised first (Unicode NFKC, then lower case): \`Alice\` and \`alice\` are one account. The canonical form must be ` +
    `${USERNAME_LENGTH.min} to ${USERNAME_LENGTH.max} characters of \`a-z 0-9 . _ -\`, starting with a letter or digit ` +
    "(field codes `empty`, `too_short`, `too_long`, `format`); it is what is stored and returned.",
  examples: ["alice"],
};

const PASSWORD_RULES =
  `At least ${PASSWORD_MIN_CHARACTERS} characters (\`empty\`, \`too_short\`) and at most ${PASSWORD_MAX_BYTES} bytes in UTF-8 ` +
  "(`too_long`, or the problem `password_too_long` when it is the body's only error: bcrypt's limit, never truncated); any " +
  "Unicode except U+0000 and lone surrogates (`format`). Used exactly as sent, never normalised.";

/** A password that is checked against the one set: the shape rules only, so older accounts keep working. */
const password: JsonSchema = {
  type: "string",
  minLength: PASSWORD_MIN_CHARACTERS,
  maxLength: PASSWORD_MAX_BYTES,
  description: PASSWORD_RULES,
  examples: ["correct horse battery"],
};

/** A password that is being set: also neither a common password nor the username. */
const newPassword: JsonSchema = {
  ...password,
  description: `${PASSWORD_RULES} Not one of the 50,000 most common passwords (Mozilla's fxa-common-password-list), in any letter case, nor the canonical username (\`too_common\`).`,
};

const refreshToken: JsonSchema = {
  type: "string",
  minLength: 1,
  maxLength: 512,
  description: "The refresh token of a token response.",
  examples: ["kB0hQ7d4rYc9mV2lP8xN1sW6tZ3uA5eF0gH2jK4oL7"],
};

export const requestSchemas = {
  credentials: object({ username, password }),
  registration: object({ username, password: newPassword }),
  refreshToken: object({ refresh_token: refreshToken }),
  passwordChange: object({
    current_password: password,
    new_password: { ...newPassword, description: `${newPassword.description} Not equal to \`current_password\` (\`unchanged\`).` },
  }),
  passwordConfirmation: object({ password }),
  passwordReset: object({
    username,
    reset_code: {
      type: "string",
      minLength: 1,
      maxLength: 256,
      description: "The code an admin issued (`POST /admin/users/{id}/password-reset`). A wrong one is the problem `invalid_reset_code`.",
      examples: ["Q2hhbmdlIG1lIHRvIGEgcmVhbCBjb2Rl"],
    },
    new_password: newPassword,
  }),
  roles: object({
    roles: {
      type: "array",
      items: { type: "string", enum: [ADMIN] },
      uniqueItems: true,
      description: "Every role the user is to have: `[]` removes them all. An unknown role or one named twice is `format`.",
      examples: [[ADMIN]],
    },
  }),
  /** Query parameters reach the function as strings: the reader turns `limit` into a number first (its digits are a code rule). */
  userListQuery: object(
    {
      limit: {
        type: "integer",
        minimum: 1,
        maximum: 100,
        default: 50,
        description: "Users per page, 1 to 100 (`out_of_range`), written in 1 to 3 digits (`format`).",
        examples: [10],
      },
      cursor: {
        type: "string",
        minLength: 1,
        maxLength: 1024,
        description: "The `next_cursor` of the page before; one this API did not issue is `invalid`.",
        examples: ["eyJ1IjoiZXhhbXBsZSJ9.c2lnbmF0dXJl"],
      },
    },
    { optional: ["limit", "cursor"] },
  ),
} satisfies Record<string, JsonSchema>;

export type RequestSchemaName = keyof typeof requestSchemas;

/** Path parameters: an `{id}` that cannot be one is answered as an unknown one, `404 not_found`, not as a validation error. */
export const pathParameters = {
  userId: {
    type: "string",
    format: "uuid",
    description: "A user id (the `id` of registration, the `sub` of access tokens). Anything else is `404 not_found`.",
    examples: ["0b9b4f6e-3d5c-4a8e-9f1a-2c3d4e5f6a7b"],
  },
  sessionId: {
    type: "string",
    pattern: "^[A-Za-z0-9_-]{22}$",
    description: "A session's public handle (the `id` of `GET /sessions`, the `sid` claim). Anything else is `404 not_found`.",
    examples: ["Yk3x9Qp2Lm8Rt5Vw1Za4Bc"],
  },
} satisfies Record<string, JsonSchema>;
