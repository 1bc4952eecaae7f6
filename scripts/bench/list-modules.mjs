// Preloaded (node --import) into an untimed cold start only: records the URL of every module Node loads, so
// the benchmark can tell which of the bundle's chunks a route's cold start loads. Synchronous hooks, in
// the main thread (Node 22.15 and later), so the list is complete when the handler has answered.
import { registerHooks } from "node:module";

globalThis.benchLoadedModules = [];
registerHooks({
  load(url, context, nextLoad) {
    globalThis.benchLoadedModules.push(url);
    return nextLoad(url, context);
  },
});
