type Part = string | { variable: string };

/**
 * Compiles the stage's access-log format (`$context.*` variables) once; the returned function fills it for
 * one request. Unknown or empty values log as "-", as API Gateway writes them.
 */
export function compileAccessLog(format: Record<string, string>): (context: Record<string, string | number | undefined>) => string {
  const fields = Object.entries(format).map(([field, template]) => ({
    field,
    parts: template.split(/(\$context\.[A-Za-z0-9_.]+)/).filter(Boolean).map((part): Part =>
      part.startsWith("$context.") ? { variable: part.slice("$context.".length) } : part,
    ),
  }));
  return (context) => {
    const line: Record<string, string> = {};
    for (const { field, parts } of fields) {
      let value = "";
      for (const part of parts) {
        if (typeof part === "string") value += part;
        else {
          const resolved = context[part.variable];
          value += resolved === undefined || resolved === "" ? "-" : String(resolved);
        }
      }
      line[field] = value;
    }
    return JSON.stringify(line);
  };
}
