/**
 * OSU-style collective latency for tsmpi: for each collective and message
 * size, every rank times `iterations` back-to-back calls per repeat; each
 * repeat's figure is the average over ranks (OSU's "Avg Latency"), and a row
 * is the median over repeats, with the fastest and slowest repeat and the
 * slowest rank's median beside it. Rank 0 prints OSU's own layout (one table
 * per collective) and writes results/coll-<np>.json.
 *
 *   node bin/tsmpi.js run -n 4 bench/coll/osu-coll.ts [--sizes 8:4M] [--repeats 5] [--scale 1] [--only allreduce,bcast] [--full]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { type Comm, Op, wtime } from "tsmpi";
import { numberOption, parseCli } from "../lib/cli.ts";
import { formatOsu, OSU_COLLECTIVE_TESTS } from "../lib/osu-text.ts";
import { type Stamp, stamp } from "../lib/stamp.ts";
import { median } from "../lib/stats.ts";
import { parseSizes } from "../lib/sizes.ts";
import { COLLECTIVES, type CollectiveName, type CollResult, type CollRow, DEFAULT_SIZES, iterations } from "./plan.ts";

export const collUsage = "tsmpi run -n 4 bench/coll/osu-coll.ts [--sizes 8:4M] [--repeats 5] [--scale 1] [--only allreduce,bcast] [--out file.json] [--full]";

/**
 * Each size warms up on its own for a while: large messages run code (their
 * algorithms, reduction kernels) that the 8 B warm-up never reached, and on 2
 * cores its compilation takes a few thousand calls to settle (measured: 1 MiB
 * allreduceInto, 2 ranks, stalls of 1-18 ms through the first ~2000 calls).
 * Rank 0's clock decides, and every rank follows its decision.
 */
async function warmUp(world: Comm, f: () => Promise<unknown>, seconds: number): Promise<void> {
  const t0 = wtime();
  for (;;) {
    for (let i = 0; i < 10; i++) await f();
    const more = await world.bcast(world.rank === 0 ? wtime() - t0 < seconds : undefined, 0);
    if (!more) return;
  }
}

/** Warm-up time per collective and size (shortened with --scale below 1, as quick runs ask). */
const WARMUP_SECONDS = 0.3;

export default async function main(world: Comm, args: string[]): Promise<void> {
  const { values: v } = parseCli(args, collUsage, {
    sizes: { type: "string" },
    repeats: { type: "string" },
    scale: { type: "string" },
    only: { type: "string" },
    out: { type: "string" },
    full: { type: "boolean" },
  });
  if (v.help) {
    if (world.rank === 0) console.log(`usage: ${collUsage}`);
    return;
  }
  // Stamped before measuring: its load average says how busy the machine was going in.
  const before = stamp();
  const sizes = v.sizes ? parseSizes(v.sizes) : DEFAULT_SIZES;
  const repeats = Math.round(numberOption(v.repeats, "repeats", collUsage) ?? 5);
  const scale = numberOption(v.scale, "scale", collUsage) ?? 1;
  const only = v.only?.split(",") as CollectiveName[] | undefined;
  const out = v.out ?? `results/coll-${world.size}.json`;
  const n = world.size;
  const rows: CollRow[] = [];

  const op = (c: CollectiveName, bytes: number): (() => Promise<unknown>) => {
    const count = Math.max(1, bytes >> 3);
    const data = new Float64Array(count).fill(world.rank);
    const blocks = Array.from({ length: n }, () => new Float64Array(count));
    switch (c) {
      case "barrier":
        return () => world.barrier();
      case "bcast":
        return () => world.bcast(world.rank === 0 ? data : undefined, 0);
      case "allreduce":
        return () => world.allreduce(data, Op.SUM);
      case "allreduceInto": {
        // In place (MPI_IN_PLACE), on zeros, so the values stay what they
        // were: sums of rank numbers would double every call and reach
        // Infinity after a thousand calls (OSU's separate send and receive
        // buffers never accumulate).
        const zeros = new Float64Array(count);
        return () => world.allreduceInto(zeros, Op.SUM);
      }
      case "allgather":
        return () => world.allgather(data);
      case "alltoall":
        return () => world.alltoall(blocks);
    }
  };

  // Warm-up of the whole run, so the first size does not pay for the JIT.
  // Polling ranks compete with V8's background compiler threads for the
  // cores: on 2 cores the collectives need a few thousand calls to reach
  // their steady state (measured: 8 B allreduce, 2 ranks, 66 -> 22 -> 6.6 us
  // over three blocks of 3000 calls).
  const warmup = 3000;
  // allreduceInto allocates nothing; it goes before allreduce, whose 1 MiB
  // results leave garbage that the next collective's time would include.
  const measured: CollectiveName[] = COLLECTIVES.flatMap((c): CollectiveName[] => (c === "allreduce" ? ["allreduceInto", c] : [c]));
  for (const c of measured) {
    if (only && !only.includes(c)) continue;
    const f = op(c, 8);
    for (let i = 0; i < warmup; i++) await f();
  }
  for (const c of measured) {
    if (only && !only.includes(c)) continue;
    for (const bytes of c === "barrier" ? [0] : sizes) {
      const iters = iterations(bytes, n, scale);
      const f = op(c, bytes);
      await warmUp(world, f, WARMUP_SECONDS * Math.min(1, scale));
      const samples: number[] = [];
      for (let r = 0; r < repeats; r++) {
        await world.barrier();
        const t0 = wtime();
        for (let i = 0; i < iters; i++) await f();
        samples.push(((wtime() - t0) * 1e6) / iters);
      }
      const all = await world.gather(samples, 0);
      if (all) {
        // Each repeat's average over ranks (OSU's "Avg Latency"); the row is their median, with the fastest and slowest.
        const averages = samples.map((_, r) => all.reduce((t, rank) => t + rank[r]!, 0) / n);
        rows.push({
          collective: c,
          bytes,
          iterations: iters,
          avgUs: median(averages),
          minAvgUs: Math.min(...averages),
          maxAvgUs: Math.max(...averages),
          maxUs: Math.max(...all.map(median)),
          samples: averages,
        });
      }
    }
  }
  if (world.rank !== 0) return;
  const result: CollResult = { source: "tsmpi", np: n, repeats, rows, stamp: before };
  mkdirSync(out.replace(/\/[^/]*$/, "") || ".", { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(osuCollText(result, before, Boolean(v.full)));
  console.log(`# wrote ${out}`);
}

/** OSU's collective layout, one table per collective: the median over repeats of the average over ranks. */
export function osuCollText(r: CollResult, s: Stamp, full: boolean): string {
  const names = [...new Set(r.rows.map((x) => x.collective))];
  return names
    .map((c) => {
      const rows = r.rows.filter((x) => x.collective === c);
      return formatOsu({
        test: OSU_COLLECTIVE_TESTS[c] ?? `${c} Latency`,
        column: "Avg Latency(us)",
        sizeless: c === "barrier",
        full,
        notes: [
          `tsmpi ${s.tsmpi} ${c}${c === "allreduceInto" ? " (in place, no allocation: like-for-like with MPI_Allreduce)" : c === "allreduce" ? " (a new result array every call)" : ""}, ${r.np} ranks, node ${s.node}, ${s.machine.cpus} cpus, load ${s.machine.load1.toFixed(2)}`,
          `median over ${r.repeats} repeats of the average over ranks${full ? "; min and max over repeats" : ""}`,
        ],
        rows: rows.map((x) => ({ bytes: x.bytes, value: x.avgUs, min: x.minAvgUs, max: x.maxAvgUs, iterations: x.iterations })),
      });
    })
    .join("\n\n");
}
