/**
 * Which attributes a change touches, by path (`memory_size`, `environment[0].variables.AUDIENCE`), from
 * before, after and after_unknown. Never descends into a sensitive value: a change under a mark is reported
 * at the marked path, so neither values nor the keys of a sensitive map are revealed.
 */
import type { Change, Json, Marks } from "./plan-json.js";
import { childMarks, hasMark } from "./sensitive.js";

export interface ChangedAttribute {
  path: string;
  sensitive: boolean;
  /** The new value is only known after apply. */
  unknown: boolean;
}

type Step = string | number;

export function formatPath(path: readonly Step[]): string {
  return path
    .map((step, index) => {
      if (typeof step === "number") return `[${step}]`;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step)) return index === 0 ? step : `.${step}`;
      return `[${JSON.stringify(step)}]`;
    })
    .join("");
}

export function changedAttributes(change: Change): ChangedAttribute[] {
  const found: ChangedAttribute[] = [];
  walk(change.before ?? null, change.after ?? null, change.after_unknown, change.before_sensitive, change.after_sensitive, [], found);
  return found;
}

function walk(
  before: Json,
  after: Json,
  unknown: Marks,
  beforeMarks: Marks,
  afterMarks: Marks,
  path: Step[],
  found: ChangedAttribute[],
): void {
  const sensitive = beforeMarks === true || afterMarks === true;
  if (unknown === true) {
    found.push({ path: formatPath(path), sensitive, unknown: true });
    return;
  }
  if (sensitive) {
    if (JSON.stringify(before) !== JSON.stringify(after) || beforeMarks !== afterMarks)
      found.push({ path: formatPath(path), sensitive: true, unknown: false });
    return;
  }
  const recurse = (key: Step, b: Json, a: Json) =>
    walk(b, a, childMarks(unknown, key), childMarks(beforeMarks, key), childMarks(afterMarks, key), [...path, key], found);
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([
      ...Object.keys(before),
      ...Object.keys(after),
      ...Object.keys(unknown && typeof unknown === "object" && !Array.isArray(unknown) ? unknown : {}),
    ])) {
      recurse(key, before[key] ?? null, after[key] ?? null);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length && path.length > 0) {
    for (const [index, item] of before.entries()) recurse(index, item, after[index] ?? null);
    if (Array.isArray(unknown)) {
      for (const [index, marks] of unknown.entries()) {
        if (index >= before.length && marks) found.push({ path: formatPath([...path, index]), sensitive: false, unknown: true });
      }
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after) || hasUnknown(unknown)) {
    found.push({ path: formatPath(path), sensitive: hasMark(beforeMarks) || hasMark(afterMarks), unknown: hasUnknown(unknown) });
  }
}

/** after_unknown uses the same mirror shape as the sensitive marks. */
const hasUnknown = hasMark;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
