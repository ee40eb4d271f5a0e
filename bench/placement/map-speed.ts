/**
 * How fast `tsmpi map` places a large profile, and how well: a 3-D periodic
 * stencil (16×16×16 = 4096 ranks by default, rank numbers scrambled) on
 * 64 hosts × 4 VMs × 16 slots under the bridged path costs. Times, per
 * mapper, the whole path `tsmpi map` takes — parse and check the dense N×N
 * profile JSON, build the sparse graph, map — median of the repeats, and
 * reports the bytes kept inside VMs and hosts beside block placement's.
 * Then times `tsmpi map` itself end to end (a new process: start-up, read,
 * map, check the candidates, write), which is what a user waits for.
 *
 *   node --import tsx bench/placement/map-speed.ts [--side 16] [--repeats 3] [--out results/placement-map-speed.json]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeJson } from "../lib/results.ts";
import { stamp } from "../lib/stamp.ts";
import { summarize } from "../lib/stats.ts";
import { type MapperName, loadProfileGraph, place } from "../../src/placement/mapper/index.ts";
import { BRIDGED } from "../../src/placement/mapper/presets.ts";
import { profileOf, stencilTraffic } from "./synthetic.ts";

const { values } = parseArgs({
  options: {
    side: { type: "string", default: "16" },
    repeats: { type: "string", default: "3" },
    out: { type: "string", default: "results/placement-map-speed.json" },
  },
});
const side = Number(values.side);
const repeats = Number(values.repeats);
const np = side ** 3;
const machine = { hosts: np / 64, vmsPerHost: 4, slots: 16 };
if (!Number.isInteger(machine.hosts) || machine.hosts < 1) throw new Error(`--side ${side}: side³ must be a multiple of 64`);

const text = JSON.stringify(profileOf(np, stencilTraffic([side, side, side], 11)));
const file = join(mkdtempSync(join(tmpdir(), "map-speed-")), "comm.json");
writeFileSync(file, text);
console.log(
  `profile: ${np} ranks, 3-D periodic stencil ${side}³ scrambled, ${(text.length / 1e6).toFixed(1)} MB of JSON; machine ${machine.hosts} × ${machine.vmsPerHost} × ${machine.slots}`,
);

const rows: Record<string, unknown>[] = [];
const block = await place({ strategy: "block", graph: loadProfileGraph(file), machine, costs: BRIDGED, transport: "bridged" });
rows.push({
  strategy: "block",
  seconds: undefined,
  estimate: block.evaluation!.estimate,
  insideVms: block.evaluation!.bytesInsideVms,
  insideHosts: block.evaluation!.bytesInsideHosts,
});
for (const mapper of ["builtin", "scotch"] as MapperName[]) {
  const samples: number[] = [];
  const parts: number[] = [];
  let last: Awaited<ReturnType<typeof place>> | undefined;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const graph = loadProfileGraph(file);
    const t1 = performance.now();
    last = await place({ strategy: "comm-aware", graph, machine, costs: BRIDGED, transport: "bridged", mapper });
    const t2 = performance.now();
    samples.push((t2 - t0) / 1000);
    parts.push((t2 - t1) / 1000);
  }
  const e = last!.evaluation!;
  const s = summarize(samples);
  rows.push({
    strategy: "comm-aware",
    mapper,
    seconds: s,
    mapSeconds: summarize(parts),
    insideVms: e.bytesInsideVms,
    insideHosts: e.bytesInsideHosts,
    repaired: last!.how.repaired,
  });
  console.log(
    `comm-aware --mapper ${mapper}: ${s.median.toFixed(2)} s median (min ${s.min.toFixed(2)}; mapping alone ${summarize(parts).median.toFixed(2)} s); ` +
      `bytes inside VMs ${(100 * e.bytesInsideVms).toFixed(1)} %, inside hosts ${(100 * e.bytesInsideHosts).toFixed(1)} %, modelled ${(e.estimate * 1e3).toFixed(3)} ms`,
  );
}
console.log(
  `block: bytes inside VMs ${(100 * block.evaluation!.bytesInsideVms).toFixed(1)} %, inside hosts ${(100 * block.evaluation!.bytesInsideHosts).toFixed(1)} %`,
);
const bin = fileURLToPath(new URL("../../bin/tsmpi.js", import.meta.url));
const cliArgs = [bin, "map", "--comm", file, "--hosts", String(machine.hosts), "--vms-per-host", "4", "--slots", "16", "--transport", "bridged"];
const cli: number[] = [];
for (let i = 0; i < repeats; i++) {
  const t0 = performance.now();
  execFileSync(process.execPath, [...cliArgs, "--strategy", "comm-aware", "--out", `${file}.map.json`], { stdio: "ignore" });
  cli.push((performance.now() - t0) / 1000);
}
const cliSeconds = summarize(cli);
console.log(
  `tsmpi map --strategy comm-aware end to end (a new process): ${cliSeconds.median.toFixed(2)} s median (min ${cliSeconds.min.toFixed(2)}, max ${cliSeconds.max.toFixed(2)})`,
);
rows.push({ strategy: "comm-aware", mapper: "builtin", command: "tsmpi map", seconds: cliSeconds });
console.log("optimum for 16-rank VMs (4×2×2 blocks) 58.3 %, for 64-rank hosts (4×4×4 blocks) 75.0 %");
writeJson(values.out, { kind: "tsmpi-placement-map-speed", stamp: stamp(), np, machine, costs: "bench/placement/costs.ts BRIDGED", repeats, rows });
console.log(`wrote ${values.out}`);
