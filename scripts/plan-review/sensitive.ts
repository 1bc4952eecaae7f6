/**
 * Sensitive values: Terraform marks them in `before_sensitive` / `after_sensitive` (a mirror of the value
 * with `true` where it is sensitive). Anything under a mark is shown as SENSITIVE and nothing more.
 */
import type { Json, Marks } from "./plan-json.js";

export const SENSITIVE = "(sensitive value)";
export const UNKNOWN = "(known after apply)";

/** The marks under one step of a path (an attribute name, a map key or a list index). */
export function childMarks(marks: Marks, key: string | number): Marks {
  if (marks === true) return true;
  if (Array.isArray(marks)) return typeof key === "number" ? marks[key] : undefined;
  if (marks && typeof marks === "object") return (marks as Record<string, Marks>)[String(key)];
  return undefined;
}

export function marksAt(marks: Marks, path: readonly (string | number)[]): Marks {
  return path.reduce<Marks>((current, key) => childMarks(current, key), marks);
}

/** True when the value at `path`, or anything above it, is marked. */
export function isMarkedAt(marks: Marks, path: readonly (string | number)[]): boolean {
  let current = marks;
  for (const key of path) {
    if (current === true) return true;
    current = childMarks(current, key);
  }
  return current === true;
}

/** True when anything in or under the marks is marked. */
export function hasMark(marks: Marks): boolean {
  if (marks === true) return true;
  if (Array.isArray(marks)) return marks.some(hasMark);
  if (marks && typeof marks === "object") return Object.values(marks).some(hasMark);
  return false;
}

/** A copy of `value` with every sensitive part replaced by SENSITIVE: the only form in which values leave the review. */
export function redact(value: Json | undefined, marks: Marks): Json {
  if (marks === true) return SENSITIVE;
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map((item, index) => redact(item, childMarks(marks, index)));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item, childMarks(marks, key))]));
  }
  return value;
}

/**
 * `value` with UNKNOWN wherever `unknown` (a plan's `after_unknown`) marks a part known only after apply: a
 * plan leaves such parts out of `after`, so a map with one new entry would otherwise read as empty.
 */
export function withUnknown(value: Json, unknown: Marks): Json {
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(unknown)) {
    const items = Array.isArray(value) ? value : [];
    return Array.from({ length: Math.max(items.length, unknown.length) }, (_, index) => withUnknown(items[index] ?? null, unknown[index]));
  }
  if (unknown && typeof unknown === "object" && (value === null || (typeof value === "object" && !Array.isArray(value)))) {
    const object = { ...((value as Record<string, Json> | null) ?? {}) };
    for (const [key, marks] of Object.entries(unknown)) object[key] = withUnknown(object[key] ?? null, marks);
    return object;
  }
  return value;
}
