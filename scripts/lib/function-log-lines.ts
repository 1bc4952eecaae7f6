/**
 * Diverts the JSON log lines an in-process function writes to stdout (they start with `{"level":`) to
 * `onLine`, one call per line; everything else is written as before. Returns the function that puts
 * stdout back. Tests keep the lines to assert on; the soak only counts them.
 */
export function divertFunctionLogLines(onLine: (line: string) => void): () => void {
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    if (!text.startsWith('{"level":')) return original(chunk as string, ...(rest as []));
    for (const line of text.split("\n")) if (line) onLine(line);
    const callback = rest.find((argument) => typeof argument === "function") as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  return () => {
    process.stdout.write = original;
  };
}
