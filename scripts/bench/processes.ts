/** The child processes the benchmark runs: every one is stopped when the runner exits, however it exits. */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

const children = new Set<ChildProcess>();

export function stopChildren(): void {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
}
process.on("exit", stopChildren);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

/** Runs `node args…` to completion and returns its stdout. */
export async function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk));
  const [code] = (await once(child, "exit")) as [number | null];
  children.delete(child);
  if (code !== 0) throw new Error(`node ${args[0]} exited with ${code}: ${stderr.slice(-2000)}`);
  return stdout;
}

/** Runs a fixture that prints its result as one JSON line at the end of its stdout, and returns that result. */
export async function runNodeForJson<Result>(args: string[], env: NodeJS.ProcessEnv): Promise<Result> {
  const stdout = await runNode(args, env);
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Result;
}

export interface Server {
  /** What the child reported once it was ready: the endpoint or base URL it listens on. */
  address: string;
  child: ChildProcess;
}

/**
 * Starts a long-running child that reports `{ ready: address }` over IPC once it is ready. Its stdout (the
 * function's log lines, the gateway's access log) goes to /dev/null, so no process of ours pays for reading it.
 */
export async function startServer(args: string[], env: NodeJS.ProcessEnv): Promise<Server> {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  children.add(child);
  const address = await new Promise<string>((resolve, reject) => {
    child.once("message", (message: { ready?: string }) => (message.ready ? resolve(message.ready) : reject(new Error(String(message)))));
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code} before it was ready`)));
  });
  child.disconnect();
  return { address, child };
}
