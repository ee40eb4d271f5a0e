/**
 * Launch time: wall time from starting a launcher to its exit, for a job
 * that starts, exchanges endpoints and ends, by ranks × launcher.
 *
 *   node --import tsx bench/launch/run.ts [--ranks 2,8,32] [--runs 3] [--what bootstrap|exec] [--out results/launch-time.json]
 *
 * --what bootstrap: each process only does the PMI exchange (bench/launch/bootstrap.ts);
 *   comparable with research §C.2's 0.33/0.72/2.04 s (Hydra) and 0.82/2.48/8.52 s (srun).
 * --what exec: every launcher runs examples/hello.ts as a tsmpi program
 *   (`tsmpi run -n N`, `mpiexec.hydra -n N tsmpi exec`, `srun --mpi=pmi2 -n N tsmpi exec`).
 * Runs are interleaved across launchers so load drifts hit all alike; the
 * table shows medians (min in the JSON). Needs Slurm up (scripts/slurm-local.sh start).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeJson } from "../lib/results.ts";
import { stamp } from "../lib/stamp.ts";
import { summarize, type Summary } from "../lib/stats.ts";
import { formatTable } from "../lib/table.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const node = process.execPath;
const tsmpi = [node, `${root}bin/tsmpi.js`];
const hello = `${root}examples/hello.ts`;
const bootstrap = [node, "--import", "tsx", `${root}bench/launch/bootstrap.ts`];

type What = "bootstrap" | "exec";
const launchers: { name: string; command(np: number, what: What): string[] | undefined }[] = [
  { name: "tsmpi", command: (np, what) => (what === "exec" ? [...tsmpi, "run", "-n", String(np), hello] : undefined) },
  { name: "mpiexec.hydra", command: (np, what) => ["mpiexec.hydra", "-n", String(np), ...(what === "exec" ? [...tsmpi, "exec", hello] : bootstrap)] },
  { name: "srun --mpi=pmi2", command: (np, what) => ["srun", "--mpi=pmi2", "-n", String(np), ...(what === "exec" ? [...tsmpi, "exec", hello] : bootstrap)] },
];

const { values } = parseArgs({
  options: {
    ranks: { type: "string", default: "2,8,32" },
    runs: { type: "string", default: "3" },
    what: { type: "string", default: "bootstrap" },
    out: { type: "string", default: "results/launch-time.json" },
  },
});
const what = values.what as What;
if (what !== "bootstrap" && what !== "exec") throw new Error(`--what ${values.what}: expected bootstrap or exec`);
const ranks = values.ranks.split(",").map(Number);
const runs = Number(values.runs);

function timeOnce(argv: string[]): number {
  const started = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: root, encoding: "utf8", timeout: 120_000 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (status ${r.status}): ${r.stderr}`);
  return seconds;
}

const samples = new Map<string, number[]>();
for (let run = 0; run < runs; run++)
  for (const np of ranks)
    for (const l of launchers) {
      const argv = l.command(np, what);
      if (!argv) continue;
      const key = `${l.name}|${np}`;
      samples.set(key, [...(samples.get(key) ?? []), timeOnce(argv)]);
    }

const results: { launcher: string; ranks: number; seconds: Summary }[] = [];
for (const [key, s] of samples) {
  const [launcher, np] = key.split("|");
  results.push({ launcher: launcher!, ranks: Number(np), seconds: summarize(s) });
}
const shown = launchers.filter((l) => l.command(2, what));
console.log(
  formatTable(
    [{ title: "ranks", digits: 0 }, ...shown.map((l) => ({ title: `${l.name} (s)` }))],
    ranks.map((np) => [np, ...shown.map((l) => results.find((r) => r.launcher === l.name && r.ranks === np)?.seconds.median)]),
  ),
);
writeJson(values.out, { stamp: stamp(), what, runs, results });
console.log(`\nmedians of ${runs} runs each; JSON in ${values.out}`);
