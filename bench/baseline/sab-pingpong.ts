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
import { numberOption, scriptCli } from "../lib/cli.ts";
import { formatP2pResult, osuText } from "../lib/p2p-table.ts";
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

const usage = "node --import tsx bench/baseline/sab-pingpong.ts [--sizes 8:4M] [--repeats 5] [--window 64] [--scale 1] [--payload-offset 0] [--out f.json] [--osu] [--quiet]";

async function cli(): Promise<void> {
  const { values: v } = scriptCli(usage, {
    sizes: { type: "string" },
    repeats: { type: "string" },
    window: { type: "string" },
    scale: { type: "string" },
    "payload-offset": { type: "string" },
    out: { type: "string" },
    osu: { type: "boolean" },
    quiet: { type: "boolean" },
  });
  const options: SabOptions = {
    sizes: v.sizes ? parseSizes(v.sizes) : undefined,
    repeats: numberOption(v.repeats, "repeats", usage),
    window: numberOption(v.window, "window", usage),
    scale: numberOption(v.scale, "scale", usage),
    payloadOffset: numberOption(v["payload-offset"], "payload-offset", usage, -1),
  };
  const result = await runSabBaseline(options);
  if (!v.quiet) console.log(v.osu ? osuText(result) : formatP2pResult(result));
  if (v.out) writeJson(v.out, result);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await cli();
