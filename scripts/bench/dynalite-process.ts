/** dynalite in a process of its own, like a database across the network: reports `{ ready: <endpoint> }` over IPC, runs until killed. */
import { startDynalite } from "../lib/dynamodb-engines.js";

const engine = await startDynalite();
process.send?.({ ready: engine.endpoint });
process.on("SIGTERM", () => void engine.stop().then(() => process.exit(0)));
