import { jsonString } from "../shared/json-string.js";
import type { EmfDocument } from "./metrics/emf.js";

/** Structured JSON logs: one line per event, fields chosen by the caller, never free text with secrets in it. */

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  /** With `metrics`, the line also carries that request's CloudWatch metrics (embedded metric format). */
  info(message: string, fields: LogFields, metrics?: EmfDocument): void;
  error(message: string, fields: LogFields): void;
}

export type LineWriter = (line: string) => void;

const stdout: LineWriter = (line) => process.stdout.write(`${line}\n`);

/**
 * A line is `{"level","message","time",...fields}`, exactly what JSON.stringify gives for that object, with
 * the request's metrics document, when there is one, after the fields (its timestamp the line's time). It is
 * written out field by field because a log line is on every request's path and JSON.stringify of a fresh
 * object, plus Date#toISOString, cost several times the router itself (see `make bench`). Fields whose
 * serialisation could differ (a key that orders first or collides with the envelope) take JSON.stringify.
 */
export function createLogger(write: LineWriter = stdout): Logger {
  const emit = (level: string, message: string, fields: LogFields, metrics?: EmfDocument) => {
    const now = Date.now();
    const time = isoAt(now);
    const rest = serializeFields(fields);
    const emf = metrics === undefined ? "" : `${metrics.prefix}${now}${metrics.suffix}`;
    write(
      rest === undefined
        ? `${JSON.stringify({ level, message, time, ...fields }).slice(0, -1)}${emf}}`
        : `{"level":${jsonString(level)},"message":${jsonString(message)},"time":"${time}"${rest}${emf}}`,
    );
  };
  return {
    info: (message, fields, metrics) => emit("info", message, fields, metrics),
    error: (message, fields) => emit("error", message, fields),
  };
}

const quotedKeys = new Map<string, string>();

/** `,"key":value` for every defined field, or undefined when JSON.stringify would order or merge keys differently. */
function serializeFields(fields: LogFields): string | undefined {
  let out = "";
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    const first = key.charCodeAt(0);
    // Array-index keys sort before all others; envelope keys would overwrite the envelope's values in place.
    if ((first >= 48 && first <= 57) || key === "level" || key === "message" || key === "time" || key === "__proto__") return undefined;
    const value = fields[key];
    let json: string;
    if (typeof value === "string") json = jsonString(value);
    else if (typeof value === "number") json = jsonNumber(value);
    else if (typeof value === "boolean") json = value ? "true" : "false";
    else if (value === undefined) continue;
    else return undefined;
    let quoted = quotedKeys.get(key);
    if (quoted === undefined) {
      quoted = JSON.stringify(key);
      if (quotedKeys.size < 256) quotedKeys.set(key, quoted);
    }
    out += `,${quoted}:${json}`;
  }
  return out;
}

/**
 * JSON.stringify(value) for a number. Durations are rounded to hundredths, and the shortest decimal of such
 * a double is its hundredths written out (trailing zeros dropped), which is far cheaper than the general
 * double-to-string conversion.
 */
function jsonNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return "null";
  const hundredths = Math.round(value * 100);
  if (hundredths / 100 !== value || hundredths >= 2 ** 31 || hundredths <= -(2 ** 31)) return String(value);
  const magnitude = Math.abs(hundredths);
  const whole = Math.floor(magnitude / 100);
  const fraction = magnitude % 100;
  const digits = fraction % 10 === 0 ? `${fraction / 10}` : `${fraction < 10 ? "0" : ""}${fraction}`;
  return `${hundredths < 0 ? "-" : ""}${whole}.${digits}`;
}

/** `new Date(now).toISOString()`, with the part up to the second reused within that second. */
let cachedSecond = Number.NaN;
let cachedPrefix = "";
function isoAt(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, -4);
  }
  const millis = now - second * 1000;
  return `${cachedPrefix}${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}
