/** Fills the stage's access-log format (`$context.*` variables) for one request; unknown values log as "-". */
export function accessLogLine(format: Record<string, string>, context: Record<string, string | number | undefined>): string {
  const line: Record<string, string> = {};
  for (const [field, template] of Object.entries(format)) {
    line[field] = template.replace(/\$context\.([A-Za-z0-9_.]+)/g, (_, name: string) => {
      const value = context[name];
      return value === undefined || value === "" ? "-" : String(value);
    });
  }
  return JSON.stringify(line);
}
