export const PASSWORD_MIN_CHARACTERS = 8;
/** bcrypt reads at most 72 bytes; anything longer would be silently truncated, so it is refused. */
export const PASSWORD_MAX_BYTES = 72;

/** The rule a password breaks, or undefined when it is acceptable. */
export function passwordError(password: string): string | undefined {
  if (password.length === 0) return "empty";
  // A lone surrogate has no UTF-8 form: hashing it would hash a replacement character instead.
  if (!password.isWellFormed()) return "format";
  if ([...password].length < PASSWORD_MIN_CHARACTERS) return "too_short";
  if (Buffer.byteLength(password, "utf8") > PASSWORD_MAX_BYTES) return "too_long";
  return undefined;
}
