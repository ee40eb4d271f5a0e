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
import { resolve } from "node:path";
import { sharedMemoryBtl } from "../baseline/openmpi.ts";
import { parseSizes } from "../lib/sizes.ts";
import { stamp } from "../lib/stamp.ts";
import { median } from "../lib/stats.ts";
import { formatTable } from "../lib/table.ts";
import { COLLECTIVES, type CollResult, DEFAULT_SIZES, iterations, TSMPI_ONLY } from "./plan.ts";

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const np = Number(opt("-n") ?? opt("--np") ?? 4);
const sizes = opt("--sizes") ? parseSizes(opt("--sizes")!) : DEFAULT_SIZES;
const repeats = Number(opt("--repeats") ?? 5);
const scale = Number(opt("--scale") ?? 1);
const runs = Number(opt("--runs") ?? 3);
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
  if (argv.includes("--no-openmpi")) return "skipped (--no-openmpi)";
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

/** One result whose rows are the median, over runs, of each row's figures (samples of every run kept). */
function medianOfRuns(list: CollResult[]): CollResult {
  const first = list[0]!;
  const rows = first.rows.map((r) => {
    const same = list.map((l) => l.rows.find((x) => x.collective === r.collective && x.bytes === r.bytes)!).filter(Boolean);
    return { ...r, avgUs: median(same.map((x) => x.avgUs)), maxUs: median(same.map((x) => x.maxUs)), samples: same.flatMap((x) => x.samples) };
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
  return [r.collective, r.bytes, r.avgUs, r.maxUs, o?.avgUs, o ? r.avgUs / o.avgUs : undefined];
});
console.log(
  `\ncollective latency, ${np} ranks on ${stamp().machine.cpus} cores (µs, avg over ranks of the median of ${repeats} repeats; median of ${runs} interleaved runs; load ${stamp().machine.load1.toFixed(1)})`,
);
console.log(
  formatTable(
    [
      { title: "collective", align: "left" },
      { title: "bytes", digits: 0 },
      { title: "tsmpi avg" },
      { title: "tsmpi max" },
      { title: "Open MPI avg" },
      { title: "ratio" },
    ],
    rows,
  ),
);
const small = ours.rows.filter((r) => r.bytes <= 8 && (COLLECTIVES as readonly string[]).includes(r.collective));
const worst = Math.max(...small.map((r) => r.maxUs));
console.log(`\nslowest 8 B collective (max over ranks): ${worst.toFixed(1)} µs (target ≤ 200 µs when oversubscribed)`);
const ar8 = rows.find((r) => r[0] === "allreduce" && r[1] === 8);
if (ar8?.[5] !== undefined) console.log(`8 B allreduce: ${(ar8[5] as number).toFixed(2)}× Open MPI (target ≤ 5× at 4 ranks)`);
for (const name of ["allreduce", "allreduceInto"]) {
  const ar1m = rows.find((r) => r[0] === name && r[1] === 1 << 20);
  if (ar1m?.[5] !== undefined) console.log(`1 MiB ${name}: ${(ar1m[5] as number).toFixed(2)}× Open MPI's MPI_Allreduce (target ≤ 1.5× at 2 ranks)`);
}
writeFileSync(resolve(results, `coll-compare-${np}.json`), `${JSON.stringify({ stamp: stamp(), np, tsmpi: ours, openmpi: theirs ?? ompi }, null, 2)}\n`);
