/**
 * `tsmpi model compare --model FILE`: a fixed set of runs, each live and in
 * the simulator under the model, side by side, in one run: the half round
 * trip at 8 B, 64 KiB and 1 MiB per transport (shm, vf, bridged, slurpoe), an
 * 8-rank allreduce, and NAS class W CG, MG, FT and IS at np 4. Each row is
 * predicted/measured and whether that is within its band (p2p ±25 %,
 * allreduce and NAS ±30 %: issue 12's must-show). Point-to-point and the
 * allreduce run in the simulator with compute free (as calibrate fitted
 * them); the NAS kernels with compute charged on the CPU clock (`--compute
 * cpu`: what the code costs, not how long the load here kept it waiting),
 * time-shared on the model's `machine.cores` (which calibrate measured
 * against CPU time too).
 */
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import type { NasResult } from "../nas/common/report.ts";
import { median } from "../lib/stats.ts";
import { formatTable } from "../lib/table.ts";
import { progressBar } from "../suite/progress.ts";
import type { AllreducePlan } from "./allreduce-program.ts";
import { DEFAULT_ITERATIONS } from "./calibrate.ts";
import type { P2pPlan, P2pSamples } from "./p2p-program.ts";
import { P2P_PROGRAM, pairMap, program, run, SIM_ITERATIONS, SIM_MIN_ITERATIONS, type Transport } from "./runs.ts";

export const COMPARE_SIZES = [8, 65536, 1 << 20];
export const NAS_KERNELS = ["cg", "mg", "ft", "is"] as const;
const BANDS = { p2p: 0.25, coll: 0.3, nas: 0.3 } as const;

export interface CompareOptions {
  /** `--model`: a preset name or a JSON file (calibrate writes one). */
  model: string;
  transports: Transport[];
  iterations?: number;
  repeats: number;
  rounds: number;
  /** NAS class (W: the issue's; S for quick checks). */
  nasClass: string;
  nasRanks: number;
  allreduceRanks: number;
  allreduceCount: number;
}

export interface CompareRow {
  group: keyof typeof BANDS;
  row: string;
  /** Seconds, live (median) and simulated. */
  measured: number;
  predicted: number;
  /** predicted / measured. */
  ratio: number;
  /** Allowed |ratio − 1|. */
  band: number;
  inBand: boolean;
  /** Why a side has no number (the run failed). */
  error?: string;
}

const sizeLabel = (s: number): string => (s >= 1 << 20 ? `${s >> 20} MiB` : s >= 1024 ? `${s >> 10} KiB` : `${s} B`);

function row(group: CompareRow["group"], name: string, measured: number, predicted: number, error?: string): CompareRow {
  const ratio = predicted / measured;
  const band = BANDS[group];
  return { group, row: name, measured, predicted, ratio, band, inBand: Number.isFinite(ratio) && Math.abs(ratio - 1) <= band, ...(error ? { error } : {}) };
}

const message = (e: unknown): string => (e instanceof Error ? e.message.split("\n")[0]! : String(e));

/** Runs `f`, turning a failure into NaN and its message (a row that cannot run is reported, not fatal). */
async function attempt<T>(f: () => Promise<T>): Promise<{ value?: T; error?: string }> {
  try {
    return { value: await f() };
  } catch (e) {
    return { error: message(e) };
  }
}

export async function compare(o: CompareOptions): Promise<CompareRow[]> {
  const sim = (compute: "none" | "cpu"): Record<string, string> => ({ "sim.model": o.model, "sim.compute": compute });
  const kinds = [
    ...Array.from({ length: o.rounds }, () => [...o.transports, "allreduce"]).flat(),
    ...o.transports.map(() => "sim"),
    "sim",
    ...NAS_KERNELS.flatMap((k) => [k, `${k} sim`]),
  ];
  const bar = progressBar(kinds);
  const rows: CompareRow[] = [];
  try {
    // Live point-to-point and allreduce in rounds alternating the paths; medians over every repeat.
    const live = new Map<string, number[]>();
    const push = (key: string, xs: number[]): void => {
      live.set(key, [...(live.get(key) ?? []), ...xs]);
    };
    const failed = new Map<string, string>();
    const allreduce = (iterations: number, repeats: number): string[] => [
      JSON.stringify({ count: o.allreduceCount, iterations, repeats } satisfies AllreducePlan),
    ];
    for (let round = 0; round < o.rounds; round++) {
      for (const t of o.transports) {
        bar.start(`live ${t}, round ${round + 1}`, t);
        const plan: P2pPlan = { sizes: COMPARE_SIZES, iterations: o.iterations ?? DEFAULT_ITERATIONS[t], repeats: o.repeats, stream: { bytes: 1, window: 1, windows: 0 } };
        const r = await attempt(() => run<P2pSamples>({ np: 2, program: P2P_PROGRAM, args: [JSON.stringify(plan)], placement: pairMap(t), engine: "live" }, `live ${t}`));
        for (const s of COMPARE_SIZES) {
          if (r.value) push(`${t} ${s}`, r.value.halfRoundTrip[s]!);
          else failed.set(`${t} ${s}`, r.error!);
        }
        bar.done(`live ${t}, round ${round + 1}`, r.error ? "failed" : "ok");
      }
      bar.start(`live allreduce, round ${round + 1}`, "allreduce");
      const r = await attempt(() =>
        run<number[]>({ np: o.allreduceRanks, program: program("./allreduce-program.ts"), args: allreduce(o.iterations ?? 100, o.repeats), engine: "live" }, "live allreduce"),
      );
      if (r.value) push("allreduce", r.value);
      else failed.set("allreduce", r.error!);
      bar.done(`live allreduce, round ${round + 1}`, r.error ? "failed" : "ok");
    }
    const liveOf = (key: string): number => (live.has(key) ? median(live.get(key)!) : Number.NaN);

    for (const t of o.transports) {
      bar.start(`simulated ${t}`, "sim");
      const plan: P2pPlan = { sizes: COMPARE_SIZES, iterations: SIM_ITERATIONS, minIterations: SIM_MIN_ITERATIONS, repeats: 1, stream: { bytes: 1, window: 1, windows: 0 } };
      const r = await attempt(() => run<P2pSamples>({ np: 2, program: P2P_PROGRAM, args: [JSON.stringify(plan)], placement: pairMap(t), engine: "sim", settings: sim("none") }, `simulated ${t}`));
      for (const s of COMPARE_SIZES) {
        const key = `${t} ${s}`;
        rows.push(row("p2p", `${t} ${sizeLabel(s)} half round trip`, liveOf(key), r.value ? median(r.value.halfRoundTrip[s]!) : Number.NaN, failed.get(key) ?? r.error));
      }
      bar.done(`simulated ${t}`, r.error ? "failed" : "ok");
    }
    bar.start("simulated allreduce", "sim");
    const a = await attempt(() =>
      run<number[]>({ np: o.allreduceRanks, program: program("./allreduce-program.ts"), args: allreduce(10, 1), engine: "sim", settings: sim("none") }, "simulated allreduce"),
    );
    const count = `${o.allreduceCount} doubles`;
    rows.push(row("coll", `allreduce ${o.allreduceRanks} ranks, ${count}`, liveOf("allreduce"), a.value ? median(a.value) : Number.NaN, failed.get("allreduce") ?? a.error));
    bar.done("simulated allreduce", a.error ? "failed" : "ok");

    // NAS: each kernel live then simulated, its timed region (NPB's "Time in seconds").
    for (const k of NAS_KERNELS) {
      const spec = { np: o.nasRanks, program: program(`../nas/${k}.ts`), args: ["--class", o.nasClass] };
      bar.start(`live ${k.toUpperCase()} class ${o.nasClass}`, k);
      const l = await attempt(() => run<NasResult>({ ...spec, engine: "live" }, `live ${k}`));
      bar.done(`live ${k}`, l.error ? "failed" : "ok");
      bar.start(`simulated ${k.toUpperCase()} class ${o.nasClass}`, `${k} sim`);
      const s = await attempt(() => run<NasResult>({ ...spec, engine: "sim", settings: sim("cpu") }, `simulated ${k}`));
      bar.done(`simulated ${k}`, s.error ? "failed" : "ok");
      rows.push(row("nas", `NAS ${k.toUpperCase()} class ${o.nasClass}, ${o.nasRanks} ranks`, l.value?.time ?? Number.NaN, s.value?.time ?? Number.NaN, l.error ?? s.error));
    }
  } finally {
    bar.end();
  }
  return rows;
}

const shown = (seconds: number): string =>
  !Number.isFinite(seconds) ? "-" : seconds >= 0.1 ? `${seconds.toFixed(3)} s` : seconds >= 1e-3 ? `${(seconds * 1e3).toFixed(3)} ms` : `${(seconds * 1e6).toFixed(2)} us`;

/** The rows as a table, with the model and the load average the live runs had. */
export function formatComparison(rows: readonly CompareRow[], model: string): string {
  const table = formatTable(
    [
      { title: "row", align: "left" },
      { title: "live" },
      { title: "simulated" },
      { title: "sim/live", digits: 3 },
      { title: "band" },
      { title: "", align: "left" },
    ],
    rows.map((r) => [r.row, shown(r.measured), shown(r.predicted), r.ratio, `±${Math.round(r.band * 100)}%`, r.error ? `FAILED: ${r.error}` : r.inBand ? "in band" : "OUT OF BAND"]),
  );
  const out = rows.filter((r) => !r.inBand).length;
  const [l1, l5] = loadavg();
  return [
    `model ${model}: simulated vs live on this machine (load average ${l1!.toFixed(2)} now, ${l5!.toFixed(2)} over 5 min)`,
    table,
    out === 0 ? `all ${rows.length} rows in band` : `${out} of ${rows.length} rows out of band`,
  ].join("\n");
}

/** A report exits 0 whatever it found; with --strict, 1 when any row is out of band or failed. */
export function compareExitCode(rows: readonly CompareRow[], strict: boolean): number {
  return strict && rows.some((r) => !r.inBand) ? 1 : 0;
}

export function writeComparison(rows: readonly CompareRow[], file: string): void {
  writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
}
