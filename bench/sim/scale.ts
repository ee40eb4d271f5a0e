/**
 * The simulator's two scale figures (issue 12, "Scale and speed"), in this
 * process, one after the other:
 *
 *   1. frames/s: an 8 B alltoall loop on 256 ranks (alltoall-loop.ts),
 *      `--compute none`, frames charged per second of wall time (target ≥ 1 M);
 *   2. NAS CG class A on 1024 ranks: wall seconds to simulate it, and whether
 *      it verified (target < 60 s, verified).
 *
 *   node --import tsx bench/sim/scale.ts [--ranks 256] [--iters 16] [--cg-ranks 1024] [--class A] [--skip-cg]
 *
 * The same runs from the command line (figures under --stats):
 *   node bin/tsmpi.js run -n 256 --engine sim --compute none --stats bench/sim/alltoall-loop.ts --iters 16
 *   node bin/tsmpi.js run -n 1024 --engine sim --stats bench/nas/cg.ts --class A
 */
import { loadavg } from "node:os";
import { runSim, type SimStats } from "../../src/engine/sim/run-sim.ts";
import { scriptCli } from "../lib/cli.ts";
import { runCg } from "../nas/cg.ts";
import { parseClass } from "../nas/common/cli.ts";
import type { NasResult } from "../nas/common/report.ts";
import { alltoallLoop } from "./alltoall-loop.ts";

const USAGE = "node --import tsx bench/sim/scale.ts [--ranks 256] [--iters 16] [--cg-ranks 1024] [--class A] [--skip-cg]";

export interface ScaleFigures {
  alltoall: { ranks: number; frames: number; wallSeconds: number; startupSeconds: number; framesPerSecond: number; cpuSeconds: number };
  cg?: { ranks: number; class: string; wallSeconds: number; verified: boolean; virtualSeconds: number };
}

/** Simulate the alltoall loop (and CG unless `cgRanks` is 0); throws when a rank fails. */
export async function measureScale(o: { ranks: number; iters: number; cgRanks: number; cls: string }): Promise<ScaleFigures> {
  let stats: SimStats | undefined;
  const cpu0 = process.cpuUsage();
  const loop = await runSim({ np: o.ranks, computeScale: 0, main: (w) => alltoallLoop(w, { iters: o.iters, bytes: 8 }), onStats: (s) => (stats = s) });
  failed(loop);
  const cpu = process.cpuUsage(cpu0);
  const figures: ScaleFigures = {
    alltoall: {
      ranks: o.ranks,
      frames: stats!.frames,
      wallSeconds: stats!.wallSeconds,
      startupSeconds: stats!.startupSeconds,
      framesPerSecond: stats!.framesPerSecond,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    },
  };
  if (o.cgRanks > 0) {
    const cls = parseClass(["--class", o.cls], "CG");
    const ranks = await runSim({ np: o.cgRanks, main: (w) => runCg(w, cls, () => undefined), onStats: (s) => (stats = s) });
    failed(ranks);
    const result = ranks[0]!.value as NasResult;
    figures.cg = { ranks: o.cgRanks, class: cls, wallSeconds: stats!.wallSeconds, verified: result.verified, virtualSeconds: result.time };
  }
  return figures;
}

function failed(results: { ok: boolean; rank: number; error?: string }[]): void {
  const bad = results.find((r) => !r.ok);
  if (bad) throw new Error(`rank ${bad.rank} failed: ${bad.error}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = scriptCli(USAGE, {
    ranks: { type: "string", default: "256" },
    iters: { type: "string", default: "16" },
    "cg-ranks": { type: "string", default: "1024" },
    class: { type: "string", default: "A" },
    "skip-cg": { type: "boolean", default: false },
  });
  const load = (): string => loadavg().map((l) => l.toFixed(2)).join(" ");
  const before = load();
  const f = await measureScale({
    ranks: Number(values.ranks),
    iters: Number(values.iters),
    cgRanks: values["skip-cg"] ? 0 : Number(values["cg-ranks"]),
    cls: values.class,
  });
  const a = f.alltoall;
  console.log(
    `alltoall 8 B, ${a.ranks} ranks: ${a.frames} frames in ${a.wallSeconds.toFixed(2)} s wall = ${Math.round(a.framesPerSecond)} frames/s (target >= 1000000); ${Math.round(a.frames / (a.wallSeconds - a.startupSeconds))} frames/s after the ${a.startupSeconds.toFixed(2)} s start-up; ${Math.round(a.frames / a.cpuSeconds)} frames per CPU second`,
  );
  if (f.cg)
    console.log(
      `CG class ${f.cg.class}, ${f.cg.ranks} ranks: ${f.cg.wallSeconds.toFixed(1)} s wall (target < 60), ${f.cg.verified ? "verified" : "NOT verified"}, modelled time ${f.cg.virtualSeconds.toPrecision(4)} s`,
    );
  console.log(`load average before ${before}, after ${load()}`);
}
