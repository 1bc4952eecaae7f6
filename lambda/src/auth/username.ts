/**
 * Usernames are compared in one canonical form so that `Alice`, `alice` and fullwidth `ａｌｉｃｅ`
 * are one account; zero-width, right-to-left and other look-alike characters survive NFKC and then
 * fail the allowed alphabet.
 */
export function canonicalUsername(raw: string): string {
  return raw.normalize("NFKC").toLowerCase();
}

const ALPHABET = /^[a-z0-9][a-z0-9._-]*$/;
export const USERNAME_LENGTH = { min: 3, max: 32 } as const;

/** The rule a canonical username breaks, or undefined when it is valid. */
export function usernameError(canonical: string): string | undefined {
  if (canonical.length === 0) return "empty";
  if (canonical.length < USERNAME_LENGTH.min) return "too_short";
  if (canonical.length > USERNAME_LENGTH.max) return "too_long";
  if (!ALPHABET.test(canonical)) return "format";
  return undefined;
}
