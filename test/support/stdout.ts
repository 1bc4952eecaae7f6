import { divertFunctionLogLines } from "../../scripts/lib/function-log-lines.js";

/**
 * Captures what the in-process function writes to stdout (its JSON log lines) so tests can assert on it
 * and the test report stays readable. Mocha's own output goes through the saved writer.
 */
export function captureStdout(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  return { lines, restore: divertFunctionLogLines((line) => lines.push(line)) };
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
