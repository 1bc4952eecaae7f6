import { type FieldError, Problem } from "../http/problem.js";

/**
 * Checks that `body` has exactly the named string fields: none missing, none extra, none of another type.
 * Per-field rules run afterwards, on values already known to be strings.
 */
export function readStringFields<const Name extends string>(
  body: Record<string, unknown>,
  names: readonly Name[],
): { values: Record<Name, string>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  for (const key of Object.keys(body)) {
    if (!(names as readonly string[]).includes(key)) errors.push({ field: key, code: "unexpected" });
  }
  const values = {} as Record<Name, string>;
  for (const name of names) {
    const value = Object.hasOwn(body, name) ? body[name] : undefined;
    if (value === undefined) errors.push({ field: name, code: "required" });
    else if (typeof value !== "string") errors.push({ field: name, code: "type" });
    else values[name] = value;
  }
  return { values, errors };
}

export function failIfAny(errors: FieldError[]): void {
  if (errors.length > 0) throw new Problem("validation_failed", { errors });
}
