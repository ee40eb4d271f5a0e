/**
 * OSU-style collective latency for tsmpi: for each collective and message
 * size, every rank times `iterations` back-to-back calls per repeat; a rank's
 * figure is the median over repeats, and the table shows the average over
 * ranks (OSU's "Avg Latency") and the slowest rank. Rank 0 prints the table
 * and writes results/coll-<np>.json.
 *
 *   node bin/tsmpi.js run -n 4 bench/coll/osu-coll.ts [--sizes 8:4M] [--repeats 5] [--scale 1] [--only allreduce,bcast]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { type Comm, Op, wtime } from "tsmpi";
import { stamp } from "../lib/stamp.ts";
import { median } from "../lib/stats.ts";
import { parseSizes } from "../lib/sizes.ts";
import { formatTable } from "../lib/table.ts";
import { COLLECTIVES, type CollectiveName, type CollResult, type CollRow, DEFAULT_SIZES, iterations } from "./plan.ts";

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

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
  const sizes = option(args, "--sizes") ? parseSizes(option(args, "--sizes")!) : DEFAULT_SIZES;
  const repeats = Number(option(args, "--repeats") ?? 5);
  const scale = Number(option(args, "--scale") ?? 1);
  const only = option(args, "--only")?.split(",") as CollectiveName[] | undefined;
  const out = option(args, "--out") ?? `results/coll-${world.size}.json`;
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
      const mine = median(samples);
      const all = await world.gather(mine, 0);
      if (all) {
        rows.push({ collective: c, bytes, iterations: iters, avgUs: all.reduce((a, b) => a + b, 0) / n, maxUs: Math.max(...all), samples });
      }
    }
  }
  if (world.rank !== 0) return;
  const result: CollResult = { source: "tsmpi", np: n, repeats, rows, stamp: stamp() };
  mkdirSync(out.replace(/\/[^/]*$/, "") || ".", { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`tsmpi collective latency, ${n} ranks (µs; avg over ranks of the median of ${repeats} repeats)`);
  console.log(
    formatTable(
      [{ title: "collective", align: "left" }, { title: "bytes", digits: 0 }, { title: "avg µs" }, { title: "max µs" }],
      rows.map((r) => [r.collective, r.bytes, r.avgUs, r.maxUs]),
    ),
  );
  console.log(`wrote ${out}`);
}
