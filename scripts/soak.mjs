#!/usr/bin/env node
// A longer soak than `npm test` (issue 16, "keep the probe"): for --minutes
// (default 30), run jobs one after another, each drawn at random (--seed) from
//   - the conformance programs (p2p, collectives, semantics) on 2-8 ranks,
//     in one VM or spread over 2 hosts x 2 VMs with a random inter-VM
//     transport and mapping, or in the simulator: each must exit 0;
//   - a mismatched collective (test/conformance/programs/mismatch.ts), with or
//     without --check-collectives: each must end with ERR_COLL_MISMATCH;
//   - a deadlock (test/reliability/programs/hang.ts): must end non-zero
//     within --deadlock-after + 10 s.
// Every job runs under --timeout (default 300 s), so nothing hangs the soak.
// Prints one line per job and a summary; exits 1 if any job misbehaved.
//   node scripts/soak.mjs [--minutes 30] [--seed 1] [--timeout 300]
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { minutes: { type: "string", default: "30" }, seed: { type: "string", default: "1" }, timeout: { type: "string", default: "300" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log("node scripts/soak.mjs [--minutes 30] [--seed 1] [--timeout 300]");
  process.exit(0);
}
const root = fileURLToPath(new URL("../", import.meta.url));
const until = Date.now() + Number(values.minutes) * 60_000;

// mulberry32: a small seeded generator, so a failing draw can be replayed.
let state = Number(values.seed) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(random() * xs.length)];

const TRANSPORTS = ["vf", "bridged", "slurpoe"];
const MISMATCHES = ["bcast roots", "reduce roots", "allreduce ops", "barrier against allreduce", "bcast against allgather", "scatter roots"];

function draw() {
  const kind = pick(["conformance", "conformance", "conformance", "mismatch", "hang"]);
  const where = pick(["shm", "spread", "sim"]);
  const np = where === "spread" ? pick([4, 8]) : pick([2, 3, 4, 5, 8]);
  const flags = ["-n", String(np), "--timeout", values.timeout];
  if (where === "sim") flags.push("--engine", "sim");
  if (where === "spread") flags.push("--hosts", "2", "--vms-per-host", "2", "--transport", pick(TRANSPORTS), "--map-by", pick(["block", "cyclic", `random:${Math.floor(random() * 1000)}`]));
  if (kind === "conformance") {
    const program = pick(["p2p", "collectives", "semantics"]);
    return { what: `${program} ${flags.join(" ")}`, args: [...flags, `test/conformance/programs/${program}.ts`, "--quick"], expect: "ok" };
  }
  if (kind === "mismatch") {
    const checked = random() < 0.5;
    const name = pick(MISMATCHES);
    const all = [...flags, "--deadlock-after", "2", ...(checked ? ["--check-collectives"] : [])];
    // Checked, the whole list runs and every rank returns its codes; unchecked, one case ends the job.
    return checked
      ? { what: `mismatch (checked) ${all.join(" ")}`, args: [...all, "test/conformance/programs/mismatch.ts"], expect: "ok" }
      : { what: `mismatch "${name}" ${all.join(" ")}`, args: [...all, "test/conformance/programs/mismatch.ts", name], expect: /ERR_COLL_MISMATCH/ };
  }
  // The hang programs take two ranks: in one VM, in the simulator, or one per host.
  const hang = pick(["recv-recv", "skipped-barrier", "never-settles"]);
  const two = ["-n", "2", "--timeout", values.timeout, "--deadlock-after", "2"];
  if (where === "sim") two.push("--engine", "sim");
  if (where === "spread") two.push("--hosts", "2", "--transport", pick(TRANSPORTS));
  return { what: `hang ${hang} ${two.join(" ")}`, args: [...two, "test/reliability/programs/hang.ts", hang], expect: /ERR_DEADLOCK|ERR_COLL_MISMATCH/, within: 2 + 10 };
}

function run(args) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["bin/tsmpi.js", "run", ...args], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c) => (err = (err + c.toString()).slice(-20_000)));
    child.on("exit", (code) => resolve({ code, err, seconds: (performance.now() - started) / 1000 }));
  });
}

let jobs = 0;
let bad = 0;
while (Date.now() < until) {
  const job = draw();
  const r = await run(job.args);
  jobs++;
  let ok = job.expect === "ok" ? r.code === 0 : r.code !== 0 && job.expect.test(r.err);
  // A hang must end within the bound after start-up (start-up itself varies with load: allow it 10 s).
  if (ok && job.within && r.seconds > job.within + 10) ok = false;
  if (!ok) bad++;
  console.log(`${ok ? "ok  " : "FAIL"} ${r.seconds.toFixed(1).padStart(6)} s  status ${r.code}  ${job.what}`);
  if (!ok) console.log(r.err.split("\n").slice(-15).map((l) => `      ${l}`).join("\n"));
}
console.log(`${jobs} jobs, ${bad} misbehaved (seed ${values.seed})`);
process.exitCode = bad === 0 ? 0 : 1;
