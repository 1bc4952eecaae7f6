import { jsonString } from "../../lambda/shared/json-string.js";

type Part = string | { variable: string };

/**
 * Compiles the stage's access-log format (`$context.*` variables) once; the returned function fills it for
 * one request. Unknown or empty values log as "-", as API Gateway writes them. The line is JSON.stringify of
 * the filled-in format, written out field by field: it is on every request's path.
 */
export function compileAccessLog(format: Record<string, string>): (context: Record<string, string | number | undefined>) => string {
  const fields = Object.entries(format).map(([field, template], index) => ({
    prefix: `${index === 0 ? "" : ","}${JSON.stringify(field)}:`,
    parts: template
      .split(/(\$context\.[A-Za-z0-9_.]+)/)
      .filter(Boolean)
      .map((part): Part => (part.startsWith("$context.") ? { variable: part.slice("$context.".length) } : part)),
  }));
  return (context) => {
    let line = "{";
    for (const { prefix, parts } of fields) {
      let value = "";
      for (const part of parts) {
        if (typeof part === "string") value += part;
        else {
          const resolved = context[part.variable];
          value += resolved === undefined || resolved === "" ? "-" : String(resolved);
        }
      }
      line += prefix + jsonString(value);
    }
    return `${line}}`;
  };
}

/**
 * Writes access-log lines to a stream in batches, one write per turn of the event loop. A synchronous write
 * (stdout to a file or terminal) per request would cost the emulator more than anything else it does, and
 * API Gateway itself delivers access logs asynchronously. `flush()` writes what is pending (at shutdown).
 */
export function batchedLineWriter(stream: NodeJS.WritableStream): { write(line: string): void; flush(): void } {
  let pending = "";
  const flush = () => {
    if (pending === "") return;
    const lines = pending;
    pending = "";
    stream.write(lines);
  };
  return {
    write(line) {
      if (pending === "") setImmediate(flush);
      pending += `${line}\n`;
    },
    flush,
  };
}
