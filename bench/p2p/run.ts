/**
 * The point-to-point benchmark runner: Open MPI's shared-memory baseline, the
 * raw SharedArrayBuffer baseline and tsmpi's osu.ts, each run several times
 * in turn (interleaved, so a burst of load on a shared machine hits them all
 * alike), then one combined table per measurement, the 4-ranks-on-2-cores
 * figure, and PASS/FAIL against the issue's targets.
 *
 *   node --import tsx bench/p2p/run.ts [--runs 3] [--sizes 0:4M] [--repeats 5] [--scale 1] [--quick] [--no-openmpi] [--no-misaligned] [--out results/p2p-summary.json]
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { launch } from "tsmpi";
import { type OpenMpi, prepareOpenMpi, runOpenMpi } from "../baseline/openmpi.ts";
import { runSabBaseline } from "../baseline/sab-pingpong.ts";
import { numberOption, scriptCli } from "../lib/cli.ts";
import { loadavgAt, loadText, oversubscription } from "../lib/load.ts";
import { checkP2pResult, type P2pResult, writeJson } from "../lib/results.ts";
import { bandwidthWindows, defaultSizes, formatBytes, latencyIterations, parseSizes } from "../lib/sizes.ts";
import { stamp } from "../lib/stamp.ts";
import { checkTargets, combineResults, comparisonTable, formatTargets, metrics } from "./summary.ts";

interface RunOptions {
  runs: number;
  sizes: number[];
  repeats: number;
  scale: number;
  window: number;
  openmpi: boolean;
  /** Also run the raw baseline with payloads 4 bytes off alignment. */
  misaligned: boolean;
  out: string;
  resultsDir: string;
}

const usage =
  "node --import tsx bench/p2p/run.ts [--runs 3] [--sizes 0:4M] [--repeats 5] [--scale 1] [--window 64] [--quick] [--no-openmpi] [--no-misaligned] [--out results/p2p-summary.json]";

function options(): RunOptions {
  const { values: v } = scriptCli(usage, {
    runs: { type: "string" },
    sizes: { type: "string" },
    repeats: { type: "string" },
    scale: { type: "string" },
    window: { type: "string" },
    quick: { type: "boolean" },
    "no-openmpi": { type: "boolean" },
    "no-misaligned": { type: "boolean" },
    out: { type: "string" },
  });
  const whole = (name: "runs" | "repeats" | "window", fallback: number): number => Math.round(numberOption(v[name], name, usage) ?? fallback);
  // --quick: a minute-scale smoke run, the sizes the targets name plus a few more.
  const quick = Boolean(v.quick);
  return {
    runs: quick ? 1 : whole("runs", 3),
    sizes: v.sizes ? parseSizes(v.sizes) : quick ? parseSizes("0,8,1K,32K,64K,1M,4M") : defaultSizes,
    repeats: quick ? 3 : whole("repeats", 5),
    scale: quick ? 0.3 : (numberOption(v.scale, "scale", usage) ?? 1),
    window: whole("window", 64),
    openmpi: !v["no-openmpi"],
    misaligned: !v["no-misaligned"],
    out: v.out ?? "results/p2p-summary.json",
    resultsDir: "results",
  };
}

const osuProgram = new URL("./osu.ts", import.meta.url).pathname;

/** Runs osu.ts under the live engine and reads back the JSON rank 0 wrote. */
async function runTsmpi(o: RunOptions, np: number, extra: string[], tag: string): Promise<P2pResult> {
  const out = resolve(o.resultsDir, `p2p-tsmpi-${tag}.json`);
  const args = [
    "--sizes",
    o.sizes.join(","),
    "--repeats",
    String(o.repeats),
    "--scale",
    String(o.scale),
    "--window",
    String(o.window),
    "--quiet",
    "--out",
    out,
    ...extra,
  ];
  const lines: string[] = [];
  const result = await launch({ np, program: osuProgram, args, stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) });
  if (!result.ok) throw new Error(`tsmpi osu.ts (np ${np}) failed: ${result.failure}\n${lines.join("\n")}`);
  return checkP2pResult(JSON.parse(readFileSync(out, "utf8")), out);
}

async function main(): Promise<void> {
  const o = options();
  // Stamped before anything runs: its load average is the machine going in.
  const s = stamp();
  const started = performance.now();
  let ompi: OpenMpi | undefined;
  let ompiMissing: string | undefined;
  if (o.openmpi) {
    const prepared = prepareOpenMpi(o.resultsDir);
    if ("missing" in prepared) ompiMissing = prepared.missing;
    else ompi = prepared;
  } else ompiMissing = "skipped (--no-openmpi)";
  if (ompiMissing) console.log(`# Open MPI baseline: ${ompiMissing}; its columns stay empty`);
  else console.log(`# Open MPI baseline: ${ompi!.binary} via mpirun ${ompi!.mpirunArgs.join(" ")}`);

  const steps = o.sizes.map((bytes) => ({ bytes, latencyIterations: latencyIterations(bytes, o.scale), bandwidthWindows: bandwidthWindows(bytes, o.scale) }));
  const runs = { tsmpi: [] as P2pResult[], sab: [] as P2pResult[], sabOff: [] as P2pResult[], openmpi: [] as P2pResult[], idle: [] as P2pResult[] };
  // A source that fails is reported and left out; the others still run.
  const failures: string[] = [];
  const attempt = async (what: string, list: P2pResult[], measure: () => Promise<P2pResult>): Promise<void> => {
    try {
      list.push(await measure());
    } catch (e) {
      const why = `${what}: ${e instanceof Error ? e.message : String(e)}`;
      failures.push(why);
      console.log(`# FAILED ${why}`);
    }
  };
  for (let run = 1; run <= o.runs; run++) {
    console.log(`# run ${run}/${o.runs} (sizes ${o.sizes.map(formatBytes).join(",")}, ${o.repeats} repeats each)`);
    if (ompi) await attempt("Open MPI", runs.openmpi, () => runOpenMpi(ompi, steps, o.repeats, o.window));
    await attempt("raw SAB", runs.sab, () => runSabBaseline({ sizes: o.sizes, repeats: o.repeats, window: o.window, scale: o.scale }));
    // The same baseline with every payload 4 bytes off 8-byte alignment, as a
    // payload behind a 4-byte length word and a 40-byte header sits: V8 then
    // copies to and from a SharedArrayBuffer byte by byte, several times slower.
    if (o.misaligned) {
      await attempt("raw SAB +4", runs.sabOff, () =>
        runSabBaseline({ sizes: o.sizes, repeats: o.repeats, window: o.window, scale: o.scale, payloadOffset: 4 }),
      );
    }
    await attempt("tsmpi np 2", runs.tsmpi, () => runTsmpi(o, 2, [], `np2-run${run}`));
    await attempt("tsmpi np 4 idle waiters", runs.idle, () => runTsmpi(o, 4, ["--idle-waiters", "--sizes", "8"], `np4-idle-run${run}`));
  }
  if (runs.tsmpi.length === 0) {
    console.log("# tsmpi produced no result; nothing to compare");
    process.exitCode = 1;
    return;
  }

  const combined = (list: P2pResult[]): P2pResult | undefined => (list.length > 0 ? combineResults(list) : undefined);
  const tsmpi = combineResults(runs.tsmpi);
  const sab = combined(runs.sab);
  const sabOff = combined(runs.sabOff);
  const openmpi = combined(runs.openmpi);
  const idle = combined(runs.idle);
  const after = loadavg();
  console.log(
    `\n# tsmpi ${s.tsmpi} vs raw SharedArrayBuffer vs ${openmpi?.transport ?? "Open MPI (not run)"}; node ${s.node}; ${s.machine.cpus} x ${s.machine.cpuModel}; ${o.runs} run(s) x ${o.repeats} repeats`,
  );
  console.log(`# ${loadText(loadavgAt(s), after, s.machine.cpus)}`);
  for (const m of metrics) console.log(`\n${comparisonTable(m, tsmpi, sab, openmpi, sabOff)}`);
  const idle8 = idle?.latencyUs.find((r) => r.bytes === 8);
  console.log(
    `\n## 4 ranks on 2 cores: ranks 2, 3 blocked in recv while 0 and 1 ping-pong 8 B: ${idle8 ? `${idle8.median.toFixed(2)} us median half round trip (min ${idle8.min.toFixed(2)})` : "-"}`,
  );
  const over = oversubscription({ ranks: 4, nicThreads: 0, bridges: 0, cores: s.machine.cpus });
  if (over) console.log(`(the 4-rank figure is meant to be oversubscribed: ${over})`);
  const targets = checkTargets(tsmpi, openmpi, idle, sab);
  console.log(`\n${formatTargets(targets)}`);
  writeJson(o.out, {
    kind: "tsmpi-p2p-summary",
    stamp: s,
    load: { before: loadavgAt(s), after },
    options: o,
    seconds: (performance.now() - started) / 1000,
    openmpiMissing: ompiMissing,
    failures,
    combined: { tsmpi, rawSab: sab, rawSabPayloadOffset4: sabOff, openmpi, idleWaiters: idle },
    targets,
    runs,
  });
  console.log(`\n# wrote ${o.out} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

await main();
