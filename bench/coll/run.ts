/**
 * Runs the collective benchmark for tsmpi and Open MPI at the same np, one
 * after the other on the same machine, and prints them side by side with the
 * issue's targets:
 *
 *   node --import tsx bench/coll/run.ts [-n 4] [--sizes 8,1M] [--repeats 5] [--scale 1] [--runs 3] [--no-openmpi]
 *
 * With --runs N the two run N times, interleaved (Open MPI, tsmpi, Open MPI,
 * …), so a slow spell of this shared machine hits both alike; each row is
 * the median over runs of the per-run figure. Large transfers here swing by
 * several times between launches minutes apart (for Open MPI as well).
 *
 * Open MPI's program (openmpi-coll.c) is compiled with mpicc into results/
 * (never committed) and run with --oversubscribe over its shared-memory BTL;
 * it is skipped with a note when mpicc/mpirun are missing. Writes
 * results/coll-<np>.json (tsmpi), results/openmpi-coll-<np>.json and
 * results/coll-compare-<np>.json.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { sharedMemoryBtl } from "../baseline/openmpi.ts";
import { parseSizes } from "../lib/sizes.ts";
import { stamp } from "../lib/stamp.ts";
import { median } from "../lib/stats.ts";
import { numberOption, scriptCli } from "../lib/cli.ts";
import { loadavgAt, loadText, oversubscription, oversubscriptionNote } from "../lib/load.ts";
import { formatTable, ratio, withSpread } from "../lib/table.ts";
import { COLLECTIVES, type CollResult, DEFAULT_SIZES, iterations, TSMPI_ONLY } from "./plan.ts";

const usage = "node --import tsx bench/coll/run.ts [-n 4] [--sizes 8,1M] [--repeats 5] [--scale 1] [--runs 3] [--no-openmpi]";
const { values: v } = scriptCli(usage, {
  np: { type: "string", short: "n" },
  sizes: { type: "string" },
  repeats: { type: "string" },
  scale: { type: "string" },
  runs: { type: "string" },
  "no-openmpi": { type: "boolean" },
});
const np = Math.round(numberOption(v.np, "np", usage) ?? 4);
const sizes = v.sizes ? parseSizes(v.sizes) : DEFAULT_SIZES;
const repeats = Math.round(numberOption(v.repeats, "repeats", usage) ?? 5);
const scale = numberOption(v.scale, "scale", usage) ?? 1;
const runs = Math.round(numberOption(v.runs, "runs", usage) ?? 3);
// Stamped before anything runs: its load average is the machine going in.
const before = stamp();
const results = resolve("results");
mkdirSync(results, { recursive: true });

function quiet(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 30_000 });
  } catch {
    return undefined;
  }
}

function openMpi(): CollResult | string {
  if (v["no-openmpi"]) return "skipped (--no-openmpi)";
  const info = quiet("ompi_info", []);
  if (!info || quiet("mpicc", ["--showme:version"]) === undefined) return "Open MPI not found (mpicc / ompi_info)";
  const btl = sharedMemoryBtl(info) ?? "vader";
  const binary = resolve(results, "openmpi-coll");
  try {
    execFileSync("mpicc", ["-O2", "-o", binary, new URL("./openmpi-coll.c", import.meta.url).pathname], { stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    return `mpicc failed: ${(e as { stderr?: Buffer }).stderr?.toString() ?? String(e)}`;
  }
  const steps = [`0:${iterations(0, np, scale)}`, ...sizes.map((b) => `${b}:${iterations(b, np, scale)}`)];
  const args = [
    "--allow-run-as-root",
    "--oversubscribe",
    "-np",
    String(np),
    "--bind-to",
    "none",
    "--mca",
    "btl",
    `self,${btl}`,
    binary,
    String(repeats),
    ...steps,
  ];
  const r = spawnSync("mpirun", args, { encoding: "utf8", timeout: 600_000 });
  const line = r.stdout.split("\n").find((l) => l.startsWith("{"));
  if (!line) return `mpirun failed: ${r.stderr.slice(0, 500)}`;
  const result = { ...(JSON.parse(line) as CollResult), stamp: stamp(), mpirun: args };
  writeFileSync(resolve(results, `openmpi-coll-${np}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

function tsmpi(): CollResult {
  const out = resolve(results, `coll-${np}.json`);
  const args = [
    "bin/tsmpi.js",
    "run",
    "-n",
    String(np),
    "bench/coll/osu-coll.ts",
    "--sizes",
    sizes.join(","),
    "--repeats",
    String(repeats),
    "--scale",
    String(scale),
    "--out",
    out,
  ];
  const r = spawnSync("node", args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 1_200_000 });
  if (r.status !== 0) throw new Error(`tsmpi benchmark failed (exit ${r.status}): ${r.stdout}`);
  return JSON.parse(readFileSync(out, "utf8")) as CollResult;
}

/** One result whose rows are the median, over runs, of each row's figures, with the fastest and slowest run (samples of every run kept). */
function medianOfRuns(list: CollResult[]): CollResult {
  const first = list[0]!;
  const rows = first.rows.map((r) => {
    const same = list.map((l) => l.rows.find((x) => x.collective === r.collective && x.bytes === r.bytes)!).filter(Boolean);
    const avg = same.map((x) => x.avgUs);
    return {
      ...r,
      avgUs: median(avg),
      minAvgUs: Math.min(...avg),
      maxAvgUs: Math.max(...avg),
      maxUs: median(same.map((x) => x.maxUs)),
      samples: same.flatMap((x) => x.samples),
    };
  });
  return { ...first, rows, runs: list.length } as CollResult;
}

const ompiRuns: CollResult[] = [];
const ourRuns: CollResult[] = [];
let ompi: CollResult | string = "not run";
for (let i = 0; i < runs; i++) {
  const o = openMpi();
  if (typeof o === "string") ompi = o;
  else ompiRuns.push(o);
  ourRuns.push(tsmpi());
}
if (ompiRuns.length > 0) ompi = medianOfRuns(ompiRuns);
const ours = medianOfRuns(ourRuns);
const theirs = typeof ompi === "string" ? undefined : ompi;
if (typeof ompi === "string") console.log(`Open MPI: ${ompi}`);
const rows = ours.rows.map((r) => {
  const same = (TSMPI_ONLY as Record<string, string>)[r.collective] ?? r.collective;
  const o = theirs?.rows.find((x) => x.collective === same && x.bytes === r.bytes);
  return {
    collective: r.collective,
    bytes: r.bytes,
    ratio: o ? r.avgUs / o.avgUs : undefined,
    cells: [r.collective, r.bytes, withSpread(r.avgUs, r.minAvgUs, r.maxAvgUs, 2), r.maxUs, withSpread(o?.avgUs, o?.minAvgUs, o?.maxAvgUs, 2), ratio(r.avgUs, o?.avgUs)],
  };
});
const cores = before.machine.cpus;
console.log(`\ncollective latency, ${np} ranks on ${cores} cores (µs: average over ranks, median [min–max] over ${runs} interleaved runs)`);
console.log(loadText(loadavgAt(before), loadavg(), cores));
console.log(
  formatTable(
    [
      { title: "collective", align: "left" },
      { title: "bytes", digits: 0 },
      { title: "tsmpi avg [min–max]" },
      { title: "tsmpi slowest rank" },
      { title: "Open MPI avg [min–max]" },
      { title: "tsmpi/Open MPI" },
    ],
    rows.map((r) => r.cells),
  ),
);
const over = oversubscription({ ranks: np, nicThreads: 0, bridges: 0, cores });
if (over) console.log(oversubscriptionNote(over));
const small = ours.rows.filter((r) => r.bytes <= 8 && (COLLECTIVES as readonly string[]).includes(r.collective));
const worst = Math.max(...small.map((r) => r.maxUs));
console.log(`\nslowest 8 B collective (max over ranks): ${worst.toFixed(1)} µs (target ≤ 200 µs when oversubscribed)`);
const ar8 = rows.find((r) => r.collective === "allreduce" && r.bytes === 8);
if (ar8?.ratio !== undefined) console.log(`8 B allreduce: ${ar8.ratio.toFixed(2)}× Open MPI (target ≤ 5× at 4 ranks)`);
for (const name of ["allreduce", "allreduceInto"]) {
  const ar1m = rows.find((r) => r.collective === name && r.bytes === 1 << 20);
  if (ar1m?.ratio !== undefined) console.log(`1 MiB ${name}: ${ar1m.ratio.toFixed(2)}× Open MPI's MPI_Allreduce (target ≤ 1.5× at 2 ranks)`);
}
writeFileSync(
  resolve(results, `coll-compare-${np}.json`),
  `${JSON.stringify({ stamp: before, load: { before: loadavgAt(before), after: loadavg() }, np, tsmpi: ours, openmpi: theirs ?? ompi }, null, 2)}\n`,
);
