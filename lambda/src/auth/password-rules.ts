import { isCommonPassword } from "./common-passwords.js";
import { canonicalUsername } from "./username.js";

export const PASSWORD_MIN_CHARACTERS = 8;
/** bcrypt reads at most 72 bytes; anything longer would be silently truncated, so it is refused. */
export const PASSWORD_MAX_BYTES = 72;

/** The rule a password breaks, or undefined when it is acceptable; for every password a request carries. */
export function passwordError(password: string): string | undefined {
  if (password.length === 0) return "empty";
  // A lone surrogate has no UTF-8 form: hashing it would hash a replacement character instead. bcrypt stops
  // at U+0000, so everything after one would not count.
  if (!password.isWellFormed() || password.includes("\u0000")) return "format";
  if ([...password].length < PASSWORD_MIN_CHARACTERS) return "too_short";
  if (Buffer.byteLength(password, "utf8") > PASSWORD_MAX_BYTES) return "too_long";
  return undefined;
}

/**
 * The rule a password that is about to be set breaks (registration, change, reset): the rules above, and
 * not one of the common passwords or the account's own canonical username, whatever the case.
 */
export async function newPasswordError(password: string, username: string | undefined): Promise<string | undefined> {
  const shape = passwordError(password);
  if (shape) return shape;
  if ((username !== undefined && canonicalUsername(password) === username) || (await isCommonPassword(password))) return "too_common";
  return undefined;
}
