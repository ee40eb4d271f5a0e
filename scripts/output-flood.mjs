#!/usr/bin/env node
// The full-size bounded-output check of issue 16: a rank prints --bytes (default
// 1 GB) as fast as it can while this script reads `tsmpi run`'s stdout at
// --rate bytes/s (default 1 MB/s). Prints the launcher's peak memory (RSS,
// sampled every 200 ms), the peak of the whole process tree (launcher + VM), the
// bytes received against those printed, the exit status and the time taken.
// Passes (exit 0) when the launcher stayed under --limit bytes (default 200 MB),
// nothing was lost and the job exited 0.
//   node scripts/output-flood.mjs [--bytes 1e9] [--rate 1e6] [--limit 2e8]
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { bytes: { type: "string", default: "1e9" }, rate: { type: "string", default: "1e6" }, limit: { type: "string", default: "2e8" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log("node scripts/output-flood.mjs [--bytes 1e9] [--rate 1e6] [--limit 2e8]");
  process.exit(0);
}
const bytes = Number(values.bytes);
const rate = Number(values.rate);
const limit = Number(values.limit);
const root = fileURLToPath(new URL("../", import.meta.url));
const flood = fileURLToPath(new URL("../test/launcher/programs/flood.ts", import.meta.url));

function rss(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function tree(pid) {
  const out = [pid];
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").split(" ").filter(Boolean)) out.push(...tree(Number(c)));
    }
  } catch {}
  return out;
}

const started = performance.now();
const child = spawn(process.execPath, ["bin/tsmpi.js", "run", "-n", "1", flood, String(bytes)], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
let peakLauncher = 0;
let peakTree = 0;
const sampler = setInterval(() => {
  peakLauncher = Math.max(peakLauncher, rss(child.pid));
  peakTree = Math.max(peakTree, tree(child.pid).reduce((a, p) => a + rss(p), 0));
}, 200);
let received = 0;
let lines = 0;
let windowStart = performance.now();
let inWindow = 0;
child.stdout.on("data", (c) => {
  received += c.length;
  for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++;
  inWindow += c.length;
  // Read at `rate`: after each chunk, pause for as long as the chunk takes at that rate.
  const due = windowStart + (inWindow / rate) * 1000;
  const wait = due - performance.now();
  if (wait > 1) {
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), wait);
  }
  if (inWindow > rate * 10) {
    windowStart = performance.now();
    inWindow = 0;
  }
});
const progress = setInterval(() => {
  process.stderr.write(`  ${(received / 1e6).toFixed(0)} MB received, launcher RSS ${(rss(child.pid) / 1e6).toFixed(0)} MB\n`);
}, 10_000);
// "close", not "exit": the launcher may exit while its last output still sits in the paused pipe.
const status = await new Promise((resolve) => child.once("close", (code) => resolve(code)));
clearInterval(sampler);
clearInterval(progress);
const seconds = (performance.now() - started) / 1000;
const complete = received >= bytes && received < bytes + 1200;
console.log(
  JSON.stringify(
    { bytes, rate, seconds: Math.round(seconds), received, lines, complete, status, peakLauncherMB: Math.round(peakLauncher / 1e6), peakTreeMB: Math.round(peakTree / 1e6) },
    null,
    2,
  ),
);
process.exitCode = complete && status === 0 && peakLauncher < limit ? 0 : 1;
