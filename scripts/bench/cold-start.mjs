// One cold start, as Lambda does it: a fresh Node process imports a bundle and answers one event.
// argv: <bundle path> <event JSON>. Prints one line: RESULT {"importMs","firstMs","totalMs","sinceProcessStartMs","cpuMs","status"},
// with "modules" (every module URL loaded) when list-modules.mjs was preloaded.
// Plain JavaScript on purpose: nothing but the bundle is loaded before the clock starts.
const [bundle, eventJson] = process.argv.slice(2);
const event = JSON.parse(eventJson);
const started = performance.now();
const { handler } = await import(bundle);
const imported = performance.now();
const reply = await handler(event, { awsRequestId: "cold-start" });
const answered = performance.now();
// CPU time of the whole process so far (every thread): what a busy machine's waits leave out.
const cpu = process.cpuUsage();
process.stdout.write(
  `RESULT ${JSON.stringify({
    importMs: imported - started,
    firstMs: answered - imported,
    totalMs: answered - started,
    sinceProcessStartMs: answered,
    cpuMs: (cpu.user + cpu.system) / 1000,
    status: reply.statusCode,
    ...(globalThis.benchLoadedModules ? { modules: globalThis.benchLoadedModules } : {}),
  })}\n`,
);
// Like a frozen Lambda container: whatever the SDK keeps open must not keep this process alive.
process.exit(0);
