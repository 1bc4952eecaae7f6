import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { notDescribed } from "./contract.js";

export interface MakeDev {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

/** Runs `make dev` as a user would (in `cwd`, the repository by default), keeping what it prints to either stream. */
export function spawnMakeDev(port: number, localDir: string, cwd = process.cwd()): MakeDev {
  const child = spawn("make", ["--no-print-directory", "dev"], {
    cwd,
    env: { ...process.env, PORT: String(port), LOCAL_DIR: localDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** Starts `make dev` and resolves once it prints its base URL. */
export async function makeDev(port: number, localDir: string, cwd = process.cwd()): Promise<MakeDev> {
  const started = spawnMakeDev(port, localDir, cwd);
  const deadline = Date.now() + 90_000;
  while (!started.output().includes("Auth API running at")) {
    if (started.child.exitCode !== null || Date.now() > deadline) throw new Error(`make dev did not start:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // A copy of the project may serve edited sources on purpose: only the repository's own API is held to its document.
  if (cwd !== process.cwd()) notDescribed(`http://127.0.0.1:${port}`);
  return started;
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, as Ctrl-C's sibling; resolves with the process ids that ran under it, once they are gone (or 10 s passed). */
export async function stopMakeDev(child: ChildProcess): Promise<number[]> {
  const descendants = childrenOf(child.pid!).flatMap((pid) => [pid, ...childrenOf(pid)]);
  child.kill("SIGTERM");
  await once(child, "exit");
  const deadline = Date.now() + 10_000;
  while (descendants.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return descendants;
}

/** Polls `probe` until it holds; resolves with the milliseconds it took. A generous bound: this asserts that it happens, not its speed. */
export async function until(what: string, probe: () => Promise<boolean>, dev: MakeDev, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms:\n${dev.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - started;
}

/** Runs another make target next to a running make dev (same PORT and LOCAL_DIR), keeping what it prints. */
export function makeTarget(target: string, port: number, localDir: string, env: Record<string, string> = {}) {
  const child = spawn("make", ["--no-print-directory", target], {
    env: { ...process.env, PORT: String(port), LOCAL_DIR: localDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { child, output: () => output, exited };
}
