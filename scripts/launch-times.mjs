// Launch time of a hello program, tsmpi (installed from the packed tarball,
// live engine) beside `mpirun` + mpi4py, in the same run: rounds alternate
// the two at every rank count, and the table shows medians [min–max] and the
// ratio. Wall time of the whole command, start to exit.
//
//   node scripts/launch-times.mjs [--np 2,4,8] [--rounds 5]
import { execFileSync, spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { np: { type: "string", default: "2,4,8" }, rounds: { type: "string", default: "5" }, help: { type: "boolean", short: "h" } } });
if (values.help) {
  console.log("usage: node scripts/launch-times.mjs [--np 2,4,8] [--rounds 5]");
  process.exit(0);
}
const counts = values.np.split(",").map(Number);
const rounds = Number(values.rounds);
const repo = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "tsmpi-launch-"));
execFileSync("npm", ["pack", "--pack-destination", work], { cwd: repo, stdio: ["ignore", "ignore", "inherit"] });
const tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz")));
const dir = join(work, "project");
mkdirSync(dir);
execFileSync("npm", ["init", "-y"], { cwd: dir, stdio: "ignore" });
execFileSync("npm", ["install", "--no-audit", "--no-fund", tarball], { cwd: dir, stdio: "ignore" });
writeFileSync(
  join(dir, "hello.ts"),
  'import { type Comm, Op } from "tsmpi";\n\nexport default async function main(world: Comm): Promise<void> {\n  const sum = await world.allreduce(world.rank, Op.SUM);\n  if (world.rank === 0) console.log(`ranks: ${world.size}, sum of ranks: ${sum}`);\n}\n',
);
writeFileSync(
  join(dir, "hello.py"),
  "from mpi4py import MPI\n\ncomm = MPI.COMM_WORLD\ntotal = comm.allreduce(comm.rank, op=MPI.SUM)\nif comm.rank == 0:\n    print(f'ranks: {comm.size}, sum of ranks: {total}')\n",
);
const tsmpi = join(dir, "node_modules/.bin/tsmpi");
const commands = {
  tsmpi: (n) => [tsmpi, ["run", "-n", String(n), "hello.ts"]],
  "mpirun + mpi4py": (n) => ["mpirun", ["--allow-run-as-root", "--oversubscribe", "-n", String(n), "/usr/bin/python3", "hello.py"]],
};
function timed([cmd, args]) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: dir, encoding: "utf8" });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0 || !r.stdout.includes("sum of ranks")) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stdout}${r.stderr}`);
  return s;
}
const before = loadavg();
const samples = {};
for (let round = 0; round < rounds; round++)
  for (const n of counts)
    for (const [name, make] of round % 2 === 0 ? Object.entries(commands) : Object.entries(commands).reverse()) {
      (samples[`${name}/${n}`] ??= []).push(timed(make(n)));
    }
const after = loadavg();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const cell = (xs) => `${median(xs).toFixed(2)} [${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}]`;
console.log(`hello, wall seconds from start to exit: median [min–max] of ${rounds} alternating rounds`);
console.log(`load average (1, 5, 15 min): ${before.map((x) => x.toFixed(2)).join(" ")} before, ${after.map((x) => x.toFixed(2)).join(" ")} after`);
console.log("| ranks | tsmpi (live) | mpirun + mpi4py | tsmpi / mpirun |");
console.log("| ---: | ---: | ---: | ---: |");
for (const n of counts) {
  const a = samples[`tsmpi/${n}`];
  const b = samples[`mpirun + mpi4py/${n}`];
  console.log(`| ${n} | ${cell(a)} | ${cell(b)} | ${(median(a) / median(b)).toFixed(2)}× |`);
}
