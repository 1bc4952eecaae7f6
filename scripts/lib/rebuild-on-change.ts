import { type Dirent, type FSWatcher, readdirSync, watch } from "node:fs";
import { join } from "node:path";

export interface RebuildOnChangeOptions {
  /** Watched with everything below them. */
  directories: string[];
  /** One rebuild and whatever follows it; its failures are its own to report. */
  rebuild: () => Promise<void>;
  /** Editors write a file in several steps; changes this close together make one rebuild. */
  settleMs?: number;
}

/**
 * Runs `rebuild` after files change below `directories` (new folders included), one rebuild at a time: changes that arrive while
 * one runs are folded into a single rebuild after it, so the last save always wins.
 */
export function rebuildOnChange({ directories, rebuild, settleMs = 100 }: RebuildOnChangeOptions): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let pending = false;

  async function run(): Promise<void> {
    if (running) {
      pending = true;
      return;
    }
    running = true;
    try {
      await rebuild();
    } finally {
      running = false;
      if (pending) {
        pending = false;
        void run();
      }
    }
  }

  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(run, settleMs);
  };
  const watchers = new Map<string, FSWatcher>();
  // One watcher per directory, not fs.watch's recursive mode: on Linux, Node 20's recursive watch loses a
  // file once an editor (or sed -i, or git checkout) has replaced it, and every later save goes unseen.
  const watchTree = (directory: string) => {
    if (!watchers.has(directory)) {
      const watcher = watch(directory, (event) => {
        if (event === "rename") watchTree(directory);
        changed();
      });
      watcher.on("error", () => {
        watcher.close();
        watchers.delete(directory);
      });
      watchers.set(directory, watcher);
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      return; // removed meanwhile: its watcher reports an error and goes
    }
    for (const entry of entries) if (entry.isDirectory()) watchTree(join(directory, entry.name));
  };
  for (const directory of directories) watchTree(directory);
  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
    },
  };
}
