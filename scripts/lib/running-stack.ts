/**
 * How a second process finds the DynamoDB of a running local stack (`make admin` while `make dev` runs):
 * the stack writes where it is to a file in its data folder at start and removes it at stop. A stack that
 * died without stopping leaves the file behind; its process id tells that apart.
 */
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface RunningStack {
  url: string;
  dynamodbEndpoint: string;
  tableName: string;
  pid: number;
}

const FILE = "local-stack.json";

export async function recordRunningStack(localDir: string, stack: Omit<RunningStack, "pid">): Promise<void> {
  const file = join(localDir, FILE);
  // Written next to its place and renamed into it, so a reader never sees half a file.
  await writeFile(`${file}.tmp`, `${JSON.stringify({ ...stack, pid: process.pid }, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

export async function forgetRunningStack(localDir: string): Promise<void> {
  await rm(join(localDir, FILE), { force: true });
}

/** The stack running from `localDir`, or undefined when none is (no file, or its process is gone). */
export async function findRunningStack(localDir: string): Promise<RunningStack | undefined> {
  let stack: RunningStack;
  try {
    stack = JSON.parse(await readFile(join(localDir, FILE), "utf8")) as RunningStack;
  } catch {
    return undefined;
  }
  try {
    process.kill(stack.pid, 0);
    return stack;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else, so it runs.
    return (error as NodeJS.ErrnoException).code === "EPERM" ? stack : undefined;
  }
}
