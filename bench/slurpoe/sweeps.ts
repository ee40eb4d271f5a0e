/**
 * SLURPoE mechanism sweeps: each row is a real two-VM run (rank 0 and rank 1
 * in different VMs, so every message crosses both NIC instances and the
 * wire). Writes results/slurpoe/sweeps.json and prints one table per sweep.
 *
 *   npx tsx bench/slurpoe/sweeps.ts [--quick] [--only coalescing,doorbell,nic,mode,descriptor]
 *
 * 1. latency vs interrupt coalescing delay (0, 8, 16, 32 µs): small-message
 *    latency should grow by about the delay (coalesceFrames is set high so
 *    the timer, not the count, fires the interrupt);
 * 2. message rate vs doorbell batch (1, 4, 16), and single-message latency,
 *    which batching must not lower; for inic-10g (user-level MMIO doorbell)
 *    and inic-10g-xen (every doorbell traps to the hypervisor);
 * 3. interrupt vs polling: latency and host CPU (the rank thread's event-loop
 *    utilization and the VM process's CPU time per round trip);
 * 4. small-message rate vs the embedded processor's per-descriptor cost, next
 *    to the rate the wire alone would allow — where the NIC, not the wire, is
 *    the limit.
 * 1b and 3b measure coalescing and interrupt vs polling on the completion path alone (two
 * threads: completion-latency.ts).
 * "nic" (2b, 4b) measures the same two knobs on the NIC engine alone
 * (nic-rate.ts): the rate the embedded core sustains without the emulation's
 * thread wake-ups and socket calls, which on a shared machine hide sub-µs
 * mechanism costs in the end-to-end runs.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { scriptCli } from "../lib/cli.ts";
import { fileURLToPath } from "node:url";
import { launch } from "../../src/launcher/launch.ts";
import { slurpoePlacement } from "../../test/transports/slurpoe/placement.ts";
import { measureCompletionLatency } from "./completion-latency.ts";
import { measureNicRate, type NicRate } from "./nic-rate.ts";
import type { ProbeResult } from "./probe-program.ts";
import { formatRows } from "../lib/table.ts";

const program = fileURLToPath(new URL("./probe-program.ts", import.meta.url));
const { values: cli } = scriptCli("npx tsx bench/slurpoe/sweeps.ts [--quick] [--only coalescing,doorbell,nic,mode,descriptor]", {
  quick: { type: "boolean" },
  only: { type: "string" },
});
const quick = Boolean(cli.quick);
const only = cli.only?.split(",") ?? ["coalescing", "doorbell", "nic", "mode", "descriptor"];
const latencyIterations = quick ? 100 : 300;
const rateMessages = quick ? 1000 : 4000;

async function probe(settings: Record<string, string>, args: string[]): Promise<ProbeResult> {
  const r = await launch({
    np: 2,
    program,
    args,
    engine: "live",
    placement: slurpoePlacement(2, 2),
    settings,
    stdout: () => {},
    stderr: (l) => process.stderr.write(`${l}\n`),
  });
  if (!r.ok) throw new Error(`probe ${args.join(" ")} ${JSON.stringify(settings)} failed: ${r.failure}`);
  const value = r.ranks[0]!.value as ProbeResult;
  const nic = r.stats?.ranks[0]?.slurpoe ?? {};
  return { ...value, nic } as ProbeResult & { nic: Record<string, number> };
}

const results: Record<string, unknown[]> = {};
const nicMessages = 2000;
const nicRuns = quick ? 5 : 15;

/** The NIC engine's own rate (nic-rate.ts), best of many short runs: a shared machine only ever slows a run down. */
function bestNicRate(settings: Record<string, string>, batch: number): NicRate {
  let best: NicRate | undefined;
  for (let i = 0; i < nicRuns; i++) {
    const r = measureNicRate(settings, batch, nicMessages);
    if (!best || r.nicRate > best.nicRate) best = { ...r, hostRate: Math.max(r.hostRate, best?.hostRate ?? 0) };
  }
  return best!;
}

if (only.includes("coalescing")) {
  const rows: (string | number)[][] = [];
  const list: unknown[] = [];
  let base = 0;
  let bestBase = 0;
  for (const us of [0, 8, 16, 32]) {
    const settings = { "nic.mode": "interrupt", "nic.coalesceUs": String(us), "nic.coalesceFrames": "1000" };
    const p = await probe(settings, ["latency", String(latencyIterations), "8"]);
    if (us === 0) base = p.median;
    const best = Math.min(...p.samples);
    if (us === 0) bestBase = best;
    list.push({ coalesceUs: us, latencyUs: p.median, bestLatencyUs: best, samples: p.samples });
    rows.push([us, p.median, p.median - base, best, best - bestBase]);
  }
  results.coalescing = list;
  console.log("\n1. latency vs interrupt coalescing delay (8 B, interrupt mode, coalesceFrames 1000)");
  console.log(formatRows(["coalesceUs", "median half RTT µs", "added µs", "best round µs", "added µs"], rows));
  const crows: (string | number)[][] = [];
  const clist: unknown[] = [];
  let first = 0;
  for (const us of [0, 8, 16, 32]) {
    const c = await measureCompletionLatency("interrupt", quick ? 300 : 1000, { "nic.coalesceUs": String(us), "nic.coalesceFrames": "1000" });
    if (us === 0) first = c.medianUs;
    clist.push({ coalesceUs: us, ...c });
    crows.push([us, c.medianUs, c.medianUs - first, c.p90Us]);
  }
  results.coalescingCompletion = clist;
  console.log("\n1b. completion-to-host latency vs coalescing delay (the completion path alone; interrupt mode)");
  console.log(formatRows(["coalesceUs", "median µs", "added µs", "p90 µs"], crows));
}

if (only.includes("doorbell")) {
  const rows: (string | number)[][] = [];
  const list: unknown[] = [];
  for (const [profile, batch] of [1, 4, 16, 1, 4, 16].map((b, i) => [i < 3 ? "inic-10g" : "inic-10g-xen", b] as const)) {
    const settings = { "nic.profile": profile, "nic.mode": "interrupt", "nic.doorbellBatch": String(batch), "nic.coalesceUs": "0" };
    const rate = (await probe(settings, ["rate", String(rateMessages), "8", "64"])) as ProbeResult & { nic: Record<string, number> };
    const lat = await probe(settings, ["latency", String(latencyIterations), "8"]);
    const n = rate.nic;
    const perDoorbell = n.doorbellsRung ? n.frames / n.doorbellsRung : 0;
    // The sending NIC's own time per message: where the saved MMIOs and descriptor reads show directly.
    const nicUs = n.frames ? n["nic.busyMicroseconds"]! / n.frames : 0;
    const fetches = n.frames ? n["nic.descriptorFetches"]! / n.frames : 0;
    list.push({
      doorbellBatch: batch,
      messagesPerSecond: rate.median,
      rateSamples: rate.samples,
      latencyUs: lat.median,
      framesPerDoorbell: perDoorbell,
      nicBusyUsPerMessage: nicUs,
      descriptorReadsPerMessage: fetches,
    });
    rows.push([profile, batch, rate.median, perDoorbell, fetches, nicUs, lat.median]);
  }
  results.doorbell = list;
  console.log("\n2. message rate vs doorbell batch (8 B, window 64, interrupt mode, no coalescing)");
  console.log(formatRows(["profile", "batch", "msgs/s", "frames/doorbell", "descriptor reads/msg", "NIC busy µs/msg", "single half RTT µs"], rows));
}

if (only.includes("nic")) {
  const rows: (string | number)[][] = [];
  const list: unknown[] = [];
  for (const profile of ["inic-10g", "inic-10g-xen"]) {
    for (const batch of [1, 4, 16]) {
      const r = bestNicRate({ "nic.profile": profile }, batch);
      list.push({ profile, doorbellBatch: batch, ...r });
      rows.push([profile, batch, r.nicRate, r.nicUsPerMessage, r.descriptorReadsPerMessage, r.hostRate, r.hostUsPerMessage]);
    }
  }
  results.nicDoorbell = list;
  console.log(`\n2b. NIC-limited message rate vs doorbell batch (the engine alone, 8-B SENDs, best of ${nicRuns} runs of ${nicMessages})`);
  console.log(formatRows(["profile", "batch", "NIC msgs/s", "NIC µs/msg", "descriptor reads/msg", "host msgs/s", "host µs/msg"], rows));
  const drows: (string | number)[][] = [];
  const dlist: unknown[] = [];
  const wireRate = Math.round(10e9 / 8 / (36 + 48 + 28 + 38));
  for (const us of [0.03, 0.1, 0.3, 0.6, 1, 2]) {
    const r = bestNicRate({ "nic.descriptorUs": String(us) }, 16);
    dlist.push({ descriptorUs: us, ...r, wireLimit: wireRate });
    drows.push([us, r.nicRate, r.nicUsPerMessage, wireRate, r.nicRate < wireRate ? "NIC" : "wire"]);
  }
  results.nicDescriptor = dlist;
  console.log(`\n4b. NIC-limited small-message rate vs per-descriptor cost (the engine alone, batch 16, best of ${nicRuns} runs of ${nicMessages})`);
  console.log(formatRows(["descriptorUs", "NIC msgs/s", "NIC µs/msg", "10GbE wire msgs/s", "limit"], drows));
}

if (only.includes("mode")) {
  const rows: (string | number)[][] = [];
  const list: unknown[] = [];
  for (const mode of ["poll", "interrupt"]) {
    const p = await probe({ "nic.mode": mode, "nic.coalesceUs": "0" }, ["latency", String(latencyIterations), "8"]);
    list.push({
      mode,
      latencyUs: p.median,
      bestLatencyUs: Math.min(...p.samples),
      samples: p.samples,
      hostBusy: p.hostBusy,
      cpuUsPerRoundTrip: p.cpuUsPerRoundTrip,
    });
    rows.push([mode, p.median, Math.min(...p.samples), p.hostBusy, p.cpuUsPerRoundTrip]);
  }
  results.mode = list;
  const crows: (string | number)[][] = [];
  const clist: unknown[] = [];
  for (const mode of ["poll", "interrupt"] as const) {
    const c = await measureCompletionLatency(mode, quick ? 500 : 2000);
    clist.push(c);
    crows.push([mode, c.medianUs, c.p90Us, c.hostBusy]);
  }
  results.completion = clist;
  console.log("\n3. interrupt vs polling (8 B ping-pong, no coalescing)");
  console.log(formatRows(["mode", "median half RTT µs", "best round µs", "rank thread busy", "VM CPU µs / round trip"], rows));
  console.log("\n3b. interrupt vs polling on the completion path alone (NIC thread writes a completion, host notices; two threads)");
  console.log(formatRows(["mode", "median µs", "p90 µs", "host thread busy"], crows));
}

if (only.includes("descriptor")) {
  const rows: (string | number)[][] = [];
  const list: unknown[] = [];
  // From a hardware pipeline (0.03 µs) through the XScale range (0.3-1 µs, DM §8) to far beyond it, where
  // the embedded core alone sets the rate.
  for (const us of [0.03, 0.3, 1, 3, 10, 30, 100]) {
    const settings = { "nic.mode": "interrupt", "nic.descriptorUs": String(us), "nic.coalesceUs": "0", "nic.doorbellBatch": "16" };
    const p = (await probe(settings, ["rate", String(rateMessages), "8", "64"])) as ProbeResult & { nic: Record<string, number> };
    // The wire alone: a SEND of an 8-B message is a 36 + 40 + 8 B frame plus 28 B IP/UDP and 38 B Ethernet overhead.
    const wireRate = Math.round(10e9 / 8 / (36 + 40 + 8 + 28 + 38));
    const nicRate = Math.round(1e6 / us);
    const nicUs = p.nic.frames ? p.nic["nic.busyMicroseconds"]! / p.nic.frames : 0;
    list.push({ descriptorUs: us, messagesPerSecond: p.median, samples: p.samples, nicBusyUsPerMessage: nicUs, wireLimit: wireRate, nicLimit: nicRate });
    rows.push([us, p.median, nicUs, nicRate, wireRate]);
  }
  results.descriptor = list;
  console.log("\n4. small-message rate vs per-descriptor cost (8 B, window 64, batch 16)");
  console.log(formatRows(["descriptorUs", "msgs/s", "NIC busy µs/msg", "1/descriptorUs", "10GbE wire limit"], rows));
}

const out = fileURLToPath(new URL("../../results/slurpoe/sweeps.json", import.meta.url));
mkdirSync(fileURLToPath(new URL("../../results/slurpoe/", import.meta.url)), { recursive: true });
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), quick, node: process.version, results }, null, 2)}\n`);
console.log(`\nwrote ${out}`);
