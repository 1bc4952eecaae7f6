/** The table `make bench` prints: one block per measurement that ran, then every target's verdict. */
import { cpus } from "node:os";
import { PEERS } from "./measure-dispatch.js";
import { FULL_VCPU_MB, MEMORY_SIZES_MB } from "./measure-login.js";
import type { BenchResults } from "./report.js";
import type { Check } from "./targets.js";

const kibibytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export function renderTable(results: BenchResults, checks: readonly Check[]): string {
  const lines: string[] = [];
  // Cells are padded and always separated, so a wide figure never runs into the next one.
  const row = (...cells: (string | number)[]) =>
    lines.push(
      cells
        .map((cell, column) => String(cell).padEnd(column === 0 ? 44 : 16))
        .join(" ")
        .trimEnd(),
    );
  lines.push("", `make bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, medians`, "");

  const { size, coldStart, dispatch, gateway } = results;
  if (size) {
    row("bundle", "raw", "gzip", "zip");
    row("build/lambda/*.mjs", kibibytes(size.bytes), kibibytes(size.gzipBytes), kibibytes(size.zipBytes));
    lines.push("");
  }
  if (coldStart) {
    row("cold start (import + first answer)", "floor", "SDK floor", "ours", "ours/SDK floor", "4 keys/1 key*", "CPU ours/SDK fl.");
    for (const [name, scenario] of Object.entries(coldStart.scenarios)) {
      const { floor, sdkFloor, ours } = scenario.medians;
      const keySet = scenario.keySet ? `${scenario.keySet.vsOneKey}x (${scenario.keySet.q1}-${scenario.keySet.q3})` : "-";
      row(
        name,
        floor ? `${floor.totalMs} ms` : "-",
        `${sdkFloor!.totalMs} ms`,
        `${ours!.totalMs} ms`,
        `${scenario.oursVsSdkFloor}x`,
        keySet,
        `${ours!.cpuMs}/${sdkFloor!.cpuMs} ms`,
      );
    }
    lines.push(
      `  * ours with four keys / with one, median of paired ratios (quartiles); chunk ${coldStart.passwordListChunk.file} (the password list) loaded on: ${Object.entries(
        coldStart.scenarios,
      )
        .filter(([, scenario]) => scenario.loadsPasswordList)
        .map(([name]) => name)
        .concat(coldStart.loadingPasswordList)
        .join(", ")}`,
      `  the key set's work alone, fresh processes: four keys ${coldStart.keySetWork.fourKeys.cpuMs} ms CPU, one key ${coldStart.keySetWork.oneKey.cpuMs} ms; four over one ${coldStart.keySetWork.extraCpuMs} ms CPU (${coldStart.keySetWork.extraMs} ms wall)`,
    );
    lines.push("");
  }
  if (dispatch) {
    row("warm dispatch (µs/request; +over direct)", "check alone", "direct", "ours", ...PEERS);
    for (const [routeKey, route] of Object.entries(dispatch)) {
      const cell = (name: string) => {
        const contender = route.contenders[name];
        if (!contender) return "-";
        return name === "direct" || name === "check"
          ? `${contender.medianMicros}`
          : `${contender.medianMicros} (+${contender.overheadMicros})`;
      };
      row(routeKey, cell("check"), cell("direct"), cell("ours"), ...PEERS.map(cell));
    }
    lines.push("");
  }
  if (results.login) {
    const { bcryptCost, engines, bcryptCompareByCostMs, lambdaBcryptEstimateMs } = results.login;
    row(`login (ms, bcrypt cost ${bcryptCost}; medians)`, "login", "floor", "login/floor*", "over floor", "bare bcrypt", "vs bcrypt");
    for (const { engine, login, floor, bcryptCompareMs } of engines) {
      const { median: ratio, q1, q3 } = login.vsFloor;
      row(
        `POST /login, ${engine}`,
        login.medianMs,
        floor.medianMs,
        `${ratio}x (${q1}-${q3})`,
        login.overFloorMs,
        bcryptCompareMs,
        `${login.vsBareBcrypt}x`,
      );
    }
    lines.push("  * median of paired ratios (quartiles)", "");
    row("the floor's parts (ms)", "first wave", "bcrypt", "signing", "later waves");
    for (const { engine, floor } of engines) row(`floor, ${engine}`, floor.firstWaveMs, floor.bcryptMs, floor.signMs, floor.laterWavesMs);
    lines.push("");
    for (const { engine, waves, operationsMs, overlapped } of engines) {
      const wavesText = waves.map((wave) => `[${wave.map((name) => `${name} ${operationsMs[name]}`).join(" ‖ ")}]`).join(" → ");
      lines.push(`  ${engine}, each operation alone (ms): ${wavesText}`);
      lines.push(
        `  overlapped (Σ slowest of each wave + bcrypt + signing + over floor): floor ${overlapped.floorMs}, login ${overlapped.loginMs}, ${overlapped.vsBareBcrypt}x bare bcrypt`,
      );
    }
    lines.push("");
    row("POST /register (ms)", "median", "bcrypt hash", "PutItem", "vs bcrypt");
    for (const { engine, register } of engines) {
      row(`${engine}`, register.medianMs, register.bcryptMs, register.putItemMs, `${register.vsBareBcryptHash}x`);
    }
    lines.push("");
    row("bcrypt compare by cost (ms)", "here", ...MEMORY_SIZES_MB.map((memoryMb) => `λ ${memoryMb} MB*`));
    for (const [cost, compare] of Object.entries(bcryptCompareByCostMs)) {
      const estimates = lambdaBcryptEstimateMs[cost]!;
      row(
        `cost ${cost}${compare.measured ? "" : " (extrapolated)"}`,
        compare.ms,
        ...MEMORY_SIZES_MB.map((memoryMb) => estimates[memoryMb]!),
      );
    }
    lines.push(`  * estimate: this machine's time × ${FULL_VCPU_MB} / memory (Lambda's CPU share below one full vCPU)`);
    lines.push("");
  }
  if (gateway) {
    row(`local gateway (autocannon, ${gateway.connections} connections)`, "gateway rps", "bare rps", "gateway p99", "bare p99", "ratio");
    for (const [routeKey, route] of Object.entries(gateway.routes)) {
      row(
        routeKey,
        route.gateway.requestsPerSecond,
        route.bare.requestsPerSecond,
        `${route.gateway.p99Ms} ms`,
        `${route.bare.p99Ms} ms`,
        `${route.gatewayVsBare}x`,
      );
    }
  }
  lines.push("", "targets");
  for (const check of checks) lines.push(`  ${check.pass ? "pass" : "MISS"}  ${check.name}: ${check.value}`);
  return lines.join("\n");
}
