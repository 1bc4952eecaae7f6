/**
 * Captures what the in-process function writes to stdout (its JSON log lines) so tests can assert on it
 * and the test report stays readable. Mocha's own output goes through the saved writer.
 */
export function captureStdout(): { lines: string[]; restore(): void } {
  const original = process.stdout.write.bind(process.stdout);
  const lines: string[] = [];
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    if (text.startsWith('{"level":')) {
      lines.push(...text.split("\n").filter(Boolean));
      const callback = rest.find((argument) => typeof argument === "function") as (() => void) | undefined;
      callback?.();
      return true;
    }
    return original(chunk as string, ...(rest as []));
  }) as typeof process.stdout.write;
  return {
    lines,
    restore: () => {
      process.stdout.write = original;
    },
  };
}

/** Captures the function's log lines while the calling `describe` runs (capturing at load time would nest across files). */
export function captureFunctionLogs(): { lines: string[] } {
  const captured = { lines: [] as string[] };
  let capture: ReturnType<typeof captureStdout> | undefined;
  before(() => {
    capture = captureStdout();
    captured.lines = capture.lines;
  });
  after(() => capture?.restore());
  return captured;
}
