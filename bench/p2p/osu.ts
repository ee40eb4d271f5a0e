/**
 * OSU-style point-to-point benchmark for tsmpi (latency, windowed bandwidth,
 * bidirectional bandwidth) between ranks 0 and 1.
 *
 *   node bin/tsmpi.js run -n 2 bench/p2p/osu.ts [--sizes 0:4M] [--out results/p2p.json]
 *   node bin/tsmpi.js run -n 4 bench/p2p/osu.ts --idle-waiters
 *
 * With --idle-waiters (4+ ranks), every rank from 2 up waits in `recv` on a
 * tag nobody sends until rank 0 releases it at the end: the "4 ranks
 * on 2 cores" test, which shows whether waiting ranks steal the cores of the
 * two that work. Rank 0 prints a table, writes JSON (--out), and resolves
 * main with the result so launch() callers get it without a file.
 */
import type { Comm } from "tsmpi";
import { osuText } from "../lib/p2p-table.ts";
import { type P2pResult, type SizeResult, writeJson } from "../lib/results.ts";
import { bandwidthWindows, latencyIterations } from "../lib/sizes.ts";
import { stamp } from "../lib/stamp.ts";
import { summarize } from "../lib/stats.ts";
import { bandwidthSamples, IDLE_TAG, latencySamples, pairSync, repeatFor } from "./measure.ts";
import { osuUsage, parseOsuOptions } from "./options.ts";

/** Warm-up of the whole run, seconds (about 10^6 small round trips). */
const WARMUP_SECONDS = 1;

export default async function main(world: Comm, args: string[]): Promise<P2pResult | undefined> {
  const o = parseOsuOptions(args);
  if (o.help) {
    if (world.rank === 0) console.log(`usage: ${osuUsage}`);
    return undefined;
  }
  // Stamped before measuring: its load average says how busy the machine was going in.
  const before = stamp();
  if (world.size < 2) throw new Error(`osu.ts needs at least 2 ranks, got ${world.size}; run it with -n 2`);
  if (o.idleWaiters && world.size < 4) throw new Error(`--idle-waiters needs at least 4 ranks, got ${world.size}; run it with -n 4`);

  if (world.rank >= 2) {
    // Extra ranks either wait (the oversubscription test) or sit the run out.
    if (o.idleWaiters) await world.recv(0, IDLE_TAG);
    return undefined;
  }

  // One warm-up for the whole run before any size is timed, so the first
  // size does not pay for the JIT compiling the send/receive path (see
  // repeatFor). It is not shortened with --scale.
  await repeatFor(world, WARMUP_SECONDS, () => latencySamples(world, 8, 1000, 1).then(() => undefined));
  if (o.bandwidth || o.bibw) {
    await repeatFor(world, WARMUP_SECONDS / 2, () => bandwidthSamples(world, 1024, 4, o.window, 1, o.bibw).then(() => undefined));
  }

  const latency: SizeResult[] = [];
  const bandwidth: SizeResult[] = [];
  const bibw: SizeResult[] = [];
  for (const bytes of o.sizes) {
    if (o.latency) {
      const iterations = latencyIterations(bytes, o.scale);
      latency.push({ bytes, iterations, ...summarize(await latencySamples(world, bytes, iterations, o.repeats)) });
    }
  }
  // Zero-byte messages carry no bandwidth (OSU's bandwidth tests start at 1 B).
  for (const bytes of o.sizes.filter((b) => b > 0)) {
    const windows = bandwidthWindows(bytes, o.scale);
    if (o.bandwidth) bandwidth.push({ bytes, iterations: windows, ...summarize(await bandwidthSamples(world, bytes, windows, o.window, o.repeats, false)) });
    if (o.bibw) bibw.push({ bytes, iterations: windows, ...summarize(await bandwidthSamples(world, bytes, windows, o.window, o.repeats, true)) });
  }
  await pairSync(world);

  if (o.idleWaiters && world.rank === 0) {
    for (let r = 2; r < world.size; r++) await world.send(new Uint8Array(4), r, IDLE_TAG);
  }
  if (world.rank !== 0) return undefined;

  const result: P2pResult = {
    source: "tsmpi",
    stamp: before,
    np: world.size,
    transport: world.placement.transportTo(1),
    mode: o.idleWaiters ? "idle-waiters" : "pair",
    repeats: o.repeats,
    window: o.window,
    latencyUs: latency,
    bandwidthMBps: bandwidth,
    bibwMBps: bibw,
    notes: { args, scale: o.scale },
  };
  if (!o.quiet) console.log(osuText(result, o.full));
  if (o.out) writeJson(o.out, result);
  return result;
}
