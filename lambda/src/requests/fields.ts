import { type FieldError, Problem } from "../http/problem.js";

/**
 * Checks that `body` has exactly the named string fields: none missing, none extra, none of another type.
 * Per-field rules run afterwards, on values already known to be strings.
 */
export function readStringFields<const Name extends string>(
  body: Record<string, unknown>,
  names: readonly Name[],
): { values: Record<Name, string>; errors: FieldError[] } {
  const errors = unexpectedFields(body, names);
  const values = {} as Record<Name, string>;
  for (const name of names) {
    const value = Object.hasOwn(body, name) ? body[name] : undefined;
    if (value === undefined) errors.push({ field: name, code: "required" });
    else if (typeof value !== "string") errors.push({ field: name, code: "type" });
    else values[name] = value;
  }
  return { values, errors };
}

/** An `unexpected` error for every field of `body` that is not one of `names`, so a typo never passes silently. */
export function unexpectedFields(body: Record<string, unknown>, names: readonly string[]): FieldError[] {
  return Object.keys(body)
    .filter((key) => !names.includes(key))
    .map((field) => ({ field, code: "unexpected" }));
}

/**
 * Throws the body's problems, if any. A password over 72 bytes, when it is the only problem, gets its own
 * code: the client must not retry with a truncated one.
 */
export function failIfAny(errors: FieldError[]): void {
  if (errors.length === 1 && errors[0]?.code === "too_long" && errors[0].field.endsWith("password")) {
    throw new Problem("password_too_long", { errors });
  }
  if (errors.length > 0) throw new Problem("validation_failed", { errors });
}

/** Adds the field's error, when a rule found one. */
export function addError(errors: FieldError[], field: string, code: string | undefined): void {
  if (code) errors.push({ field, code });
}
