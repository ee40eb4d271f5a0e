/**
 * The raw baseline: two worker_threads ping-ponging through a
 * SharedArrayBuffer with no tsmpi at all (bench/baseline/sab-worker.js), so
 * tsmpi's shared-memory figures can be read against the fastest a
 * two-thread handoff in this Node.js can go on this machine. Same sizes,
 * iteration counts, window and repeats as bench/p2p/osu.ts.
 *
 *   node --import tsx bench/baseline/sab-pingpong.ts [--sizes 8:4M] [--repeats 5] [--payload-offset 0] [--out results/sab.json]
 */
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { formatP2pResult } from "../lib/p2p-table.ts";
import { type P2pResult, type SizeResult, writeJson } from "../lib/results.ts";
import { bandwidthWindows, latencyIterations, parseSizes, powersOfTwo } from "../lib/sizes.ts";
import { stamp } from "../lib/stamp.ts";
import { summarize } from "../lib/stats.ts";

export interface SabOptions {
  sizes?: number[];
  repeats?: number;
  window?: number;
  /** Multiplies every iteration count. */
  scale?: number;
  tests?: readonly ("latency" | "bw" | "bibw")[];
  /**
   * Bytes by which every message slot is shifted (default 0: 8-byte aligned).
   * 4 reproduces a payload that sits 4 bytes off alignment, as behind a
   * 4-byte length word and a 40-byte header.
   */
  payloadOffset?: number;
}

interface Step {
  test: "latency" | "bw" | "bibw";
  bytes: number;
  iterations: number;
  repeats: number;
}

interface StepResult {
  test: Step["test"];
  bytes: number;
  iterations: number;
  samples: number[];
}

/** 8 B to 4 MiB, as the issue asks of the baseline. */
export const sabDefaultSizes = powersOfTwo(8, 4 << 20);

/** Each direction's ring: big enough for 4 slots of the largest message (and 64 slots up to 256 KiB). */
function regionBytesFor(maxBytes: number): number {
  return Math.max(16 << 20, 4 * maxBytes);
}

export async function runSabBaseline(options: SabOptions = {}): Promise<P2pResult> {
  const sizes = options.sizes ?? sabDefaultSizes;
  const repeats = options.repeats ?? 5;
  const window = options.window ?? 64;
  const scale = options.scale ?? 1;
  const tests = options.tests ?? ["latency", "bw", "bibw"];
  const plan: Step[] = [];
  for (const test of tests) {
    // Zero-byte messages carry no bandwidth (OSU's bandwidth tests start at 1 B).
    for (const bytes of sizes.filter((b) => test === "latency" || b > 0)) {
      const iterations = test === "latency" ? latencyIterations(bytes, scale) : bandwidthWindows(bytes, scale);
      plan.push({ test, bytes, iterations, repeats });
    }
  }
  const regionBytes = regionBytesFor(Math.max(...sizes));
  const payloadOffset = options.payloadOffset ?? 0;
  const sab = new SharedArrayBuffer(64 + 2 * (regionBytes + 64));
  const entry = new URL("./sab-worker.js", import.meta.url);
  const workers = [0, 1].map((side) => new Worker(entry, { workerData: { sab, side, regionBytes, plan, window, payloadOffset } }));
  const outcome = workers.map(
    (w) =>
      new Promise<StepResult[] | null>((resolve, reject) => {
        w.once("message", resolve);
        w.once("error", reject);
        w.once("exit", (code) => reject(new Error(`raw SAB baseline: a worker exited with code ${code} before reporting`)));
      }),
  );
  let steps: StepResult[];
  try {
    steps = (await Promise.all(outcome))[0]!;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const rows = (test: Step["test"]): SizeResult[] =>
    steps.filter((s) => s.test === test).map((s) => ({ bytes: s.bytes, iterations: s.iterations, ...summarize(s.samples) }));
  return {
    source: "raw-sab",
    stamp: stamp(),
    np: 2,
    transport: `SharedArrayBuffer rings, Atomics spin, no tsmpi${payloadOffset ? `, payload ${payloadOffset} bytes off alignment` : ""}`,
    mode: "pair",
    repeats,
    window,
    latencyUs: rows("latency"),
    bandwidthMBps: rows("bw"),
    bibwMBps: rows("bibw"),
    notes: { regionBytes, scale, payloadOffset },
  };
}

async function cli(args: string[]): Promise<void> {
  const options: SabOptions = {};
  let out: string | undefined;
  let quiet = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = args[i + 1];
    if (a === "--sizes" && v) options.sizes = parseSizes(args[++i]!);
    else if (a === "--repeats" && v) options.repeats = Number(args[++i]);
    else if (a === "--window" && v) options.window = Number(args[++i]);
    else if (a === "--scale" && v) options.scale = Number(args[++i]);
    else if (a === "--payload-offset" && v) options.payloadOffset = Number(args[++i]);
    else if (a === "--out" && v) out = args[++i];
    else if (a === "--quiet") quiet = true;
    else
      throw new Error(
        `sab-pingpong: unknown option "${a}"; usage: sab-pingpong.ts [--sizes 8:4M] [--repeats 5] [--window 64] [--scale 1] [--payload-offset 0] [--out f.json] [--quiet]`,
      );
  }
  const result = await runSabBaseline(options);
  if (!quiet) console.log(formatP2pResult(result));
  if (out) writeJson(out, result);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await cli(process.argv.slice(2));
