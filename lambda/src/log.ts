/** Structured JSON logs: one line per event, fields chosen by the caller, never free text with secrets in it. */

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(message: string, fields: LogFields): void;
  error(message: string, fields: LogFields): void;
}

export type LineWriter = (line: string) => void;

const stdout: LineWriter = (line) => process.stdout.write(`${line}\n`);

export function createLogger(write: LineWriter = stdout): Logger {
  const emit = (level: string, message: string, fields: LogFields) =>
    write(JSON.stringify({ level, message, time: new Date().toISOString(), ...fields }));
  return {
    info: (message, fields) => emit("info", message, fields),
    error: (message, fields) => emit("error", message, fields),
  };
}
