/**
 * `tsmpi model calibrate --out FILE`: measures this machine's live emulation
 * and writes a model preset (src/model/presets' schema) with which the
 * simulator predicts it. Per transport: ping-pong at 8 B, 4 KiB, 64 KiB and
 * 1 MiB and a stream of 1 MiB messages, live, in rounds that alternate the
 * transports (sizes alternate inside each round), medians over all repeats;
 * then the transport's per-frame and per-byte numbers are fitted through the
 * simulator itself (./fit.ts), so the real frames the core sends — eager,
 * rendezvous, fragments — are what the numbers are fitted on. And how many
 * cores the job's ranks really get: a compute loop on N ranks at once (wall
 * time) against its CPU time on one rank alone (`machine.cores`,
 * src/model/time-share.ts).
 */
import { writeFileSync } from "node:fs";
import { availableParallelism, hostname, loadavg } from "node:os";
import { parsePreset, type Preset, stagesModel } from "../../src/model/load.ts";
import type { MechanismName } from "../../src/transport/cost.ts";
import { median } from "../lib/stats.ts";
import { formatTable } from "../lib/table.ts";
import { progressBar } from "../suite/progress.ts";
import type { ComputePlan, ComputeSeconds } from "./compute-program.ts";
import { FIXED, fitKnobs, KNOBS, type KnobMap, type Knobs, shmOverCap } from "./fit.ts";
import type { P2pPlan, P2pSamples } from "./p2p-program.ts";
import { liveP2p, program, run, SIM_ITERATIONS, SIM_MIN_ITERATIONS, simP2p, type Transport } from "./runs.ts";

export const CALIBRATION_SIZES = [8, 4096, 65536, 1 << 20];
const STREAM_BYTES = 1 << 20;

/**
 * How much each observable's error counts in the fit: the sizes compare checks
 * (8 B, 64 KiB, 1 MiB) fully, 4 KiB and the stream (no compare row) half.
 */
const IMPORTANCE = [1, 0.5, 1, 1, 0.5];

/** Round trips per repeat at small sizes, by how slow each path is live here. */
export const DEFAULT_ITERATIONS: Record<Transport, number> = { shm: 400, vf: 200, bridged: 100, slurpoe: 40 };

export interface CalibrateOptions {
  transports: Transport[];
  name: string;
  /** Round trips per repeat at small sizes (default per transport). */
  iterations?: number;
  repeats: number;
  /** Rounds alternating the transports; each a live job per transport. */
  rounds: number;
  /** Stream windows (8 messages of 1 MiB each) per repeat. */
  windows: number;
  /** Compute-loop passes for the cores measurement, and the ranks it runs on. */
  passes: number;
  computeRanks: number;
  /** Lines of the report (default stdout). */
  out?: (line: string) => void;
}

export interface TransportFit {
  transport: Transport;
  /** What the two numbers are. */
  map: KnobMap;
  knobs: Knobs;
  /** Observables: the half round trip per size, then seconds per streamed message. */
  labels: string[];
  measured: number[];
  predicted: number[];
}

export interface Calibration {
  preset: Preset;
  fits: TransportFit[];
  cores: { alone: number; shared: number; ranks: number; cores: number };
}

const sizeLabel = (s: number): string => (s >= 1 << 20 ? `${s >> 20} MiB` : s >= 1024 ? `${s >> 10} KiB` : `${s} B`);

/** The observables of one p2p run, in fit order: median half round trip per size, then the stream. */
function observables(s: P2pSamples, sizes: readonly number[]): number[] {
  return [...sizes.map((z) => median(s.halfRoundTrip[z]!)), median(s.streamPerMessage)];
}

function merge(a: P2pSamples | undefined, b: P2pSamples): P2pSamples {
  if (!a) return b;
  const halfRoundTrip: Record<number, number[]> = {};
  for (const k of Object.keys(b.halfRoundTrip)) halfRoundTrip[Number(k)] = [...a.halfRoundTrip[Number(k)]!, ...b.halfRoundTrip[Number(k)]!];
  return { halfRoundTrip, streamPerMessage: [...a.streamPerMessage, ...b.streamPerMessage] };
}

/** Every transport's live samples, rounds alternating the transports; then the cores measurement. */
async function measureLive(o: CalibrateOptions): Promise<{ samples: Map<Transport, P2pSamples>; cores: Calibration["cores"] }> {
  const kinds = [...Array.from({ length: o.rounds }, () => [...o.transports, "compute"]).flat()];
  const bar = progressBar(kinds);
  const samples = new Map<Transport, P2pSamples>();
  const alone: number[] = [];
  const shared: number[] = [];
  const computeArgs = [JSON.stringify({ passes: o.passes, repeats: 3 } satisfies ComputePlan)];
  const computeProgram = program("./compute-program.ts");
  try {
    for (let round = 0; round < o.rounds; round++) {
      for (const t of o.transports) {
        bar.start(`live ${t}, round ${round + 1}`, t);
        const plan: P2pPlan = {
          sizes: CALIBRATION_SIZES,
          iterations: o.iterations ?? DEFAULT_ITERATIONS[t],
          repeats: o.repeats,
          stream: { bytes: STREAM_BYTES, window: 8, windows: o.windows },
        };
        samples.set(t, merge(samples.get(t), await liveP2p(t, plan)));
        bar.done(`live ${t}, round ${round + 1}`, "ok");
      }
      bar.start(`compute on 1 and ${o.computeRanks} ranks, round ${round + 1}`, "compute");
      const one = await run<ComputeSeconds>({ np: 1, program: computeProgram, args: computeArgs, engine: "live" }, "the compute loop on 1 rank");
      const many = await run<ComputeSeconds>({ np: o.computeRanks, program: computeProgram, args: computeArgs, engine: "live" }, "the compute loop on N ranks");
      alone.push(...one.cpu);
      shared.push(...many.wall);
      bar.done(`compute, round ${round + 1}`, "ok");
    }
  } finally {
    bar.end();
  }
  const a = median(alone);
  const s = median(shared);
  // N ranks at once each take s of wall time for a loop of a CPU seconds: they had N·a/s cores between them.
  const cores = Math.min(availableParallelism(), Math.max(1, (o.computeRanks * a) / s));
  return { samples, cores: { alone: a, shared: s, ranks: o.computeRanks, cores } };
}

/** The initial guess: the 8 B half round trip as a few frames' costs, the 1 MiB one as bytes. */
function startFrom(measured: readonly number[]): Knobs {
  const small = measured[0]!;
  const large = measured[CALIBRATION_SIZES.length - 1]!;
  return { perFrame: small / 4, perByte: Math.max(1e-12, (large - small) / (2 * (1 << 20))) };
}

export async function calibrate(o: CalibrateOptions): Promise<Calibration> {
  const transports: Transport[] = o.transports.includes("shm") ? o.transports : ["shm", ...o.transports];
  const when = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const measuredBy = `measured on this machine (${hostname()}, ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(1)}) by tsmpi model calibrate, ${when}`;
  const { samples, cores } = await measureLive({ ...o, transports });

  const mechanisms: Preset["mechanisms"] = {};
  const put = (values: Partial<Record<MechanismName, number>>, source: string): void => {
    for (const [k, value] of Object.entries(values)) mechanisms[k as MechanismName] = { value, source };
  };
  put(
    { "machine.cores": cores.cores },
    `${measuredBy}: a compute loop on ${cores.ranks} ranks at once took ${(cores.shared * 1e3).toFixed(1)} ms of wall time each, ${(cores.alone * 1e3).toFixed(1)} ms of CPU time alone (cores = ranks x alone / shared)`,
  );
  const has = (t: Transport): boolean => transports.includes(t);
  // Which fixed groups the calibrated transports' paths use.
  const uses: Record<keyof typeof FIXED, boolean> = {
    shm: true,
    wire: transports.length > 1,
    completion: has("vf") || has("slurpoe"),
    bridged: has("bridged"),
    slurpoe: has("slurpoe"),
    vfShared: has("slurpoe") && !has("vf"),
  };
  for (const key of Object.keys(FIXED) as (keyof typeof FIXED)[]) {
    const f = FIXED[key];
    if (uses[key]) put(f.values, `set by tsmpi model calibrate on this machine, ${when}: no separate cost in the live emulation; ${f.why}`);
  }

  const simPlan: P2pPlan = { sizes: CALIBRATION_SIZES, iterations: SIM_ITERATIONS, minIterations: SIM_MIN_ITERATIONS, repeats: 1, stream: { bytes: STREAM_BYTES, window: 8, windows: 2 } };
  const fits: TransportFit[] = [];
  const bar = progressBar(transports);
  try {
    // Both ends' CPU per frame is on every path: at most a quarter of the fastest inter-VM 8 B half round trip,
    // as charged: two ranks on fewer than two cores pay their CPU stages time-shared (src/model/time-share.ts).
    const shared = Math.max(1, 2 / cores.cores);
    const cap = Math.min(...transports.filter((t) => t !== "shm").map((t) => median(samples.get(t)!.halfRoundTrip[8]!) / (4 * shared)));
    for (const t of transports) {
      bar.start(`fit ${t}`, t);
      const measured = observables(samples.get(t)!, CALIBRATION_SIZES);
      const fitWith = async (map: KnobMap): Promise<{ knobs: Knobs; predicted: number[] }> => {
        const predict = async (k: Knobs): Promise<number[]> => {
          const trial: Preset = { name: o.name, description: "", mechanisms: { ...mechanisms } };
          for (const [m, value] of Object.entries(map.set(k))) trial.mechanisms[m as MechanismName] = { value, source: "trial" };
          return observables(await simP2p(t, stagesModel(trial), simPlan), CALIBRATION_SIZES);
        };
        return fitKnobs(measured, IMPORTANCE, startFrom(measured), predict);
      };
      let map = KNOBS[t];
      let { knobs, predicted } = await fitWith(map);
      if (t === "shm" && knobs.perFrame > cap) {
        map = shmOverCap(cap);
        ({ knobs, predicted } = await fitWith(map));
      }
      const runs = `${o.rounds} round(s) x ${o.repeats} repeat(s), medians`;
      const what = `live ${t} ping-pong at ${CALIBRATION_SIZES.map(sizeLabel).join(", ")} and a 1 MiB stream (${runs}), fitted through the simulator (least worst relative error)`;
      for (const [m, value] of Object.entries(map.set(knobs))) {
        const which = map.notes?.[m as MechanismName] ?? (m === map.byteMechanism ? map.perByte : map.perFrame);
        put({ [m]: value }, `${measuredBy}: ${which}, from ${what}`);
      }
      fits.push({ transport: t, map, knobs, labels: [...CALIBRATION_SIZES.map(sizeLabel), "1 MiB stream/msg"], measured, predicted });
      bar.done(`fit ${t}`, "ok");
    }
  } finally {
    bar.end();
  }
  const preset = parsePreset(
    {
      name: o.name,
      description: `this machine's live emulation (${transports.join(", ")}), ${measuredBy}`,
      mechanisms,
    },
    "the calibration",
  );
  return { preset, fits, cores };
}

/** The fit as a table: measured vs the simulator with the fitted numbers, per observable. */
export function formatCalibration(c: Calibration): string {
  const rows = c.fits.flatMap((f) =>
    f.labels.map((label, i) => [f.transport, label, f.measured[i]! * 1e6, f.predicted[i]! * 1e6, f.predicted[i]! / f.measured[i]!]),
  );
  const knobs = c.fits.map((f) => `  ${f.transport.padEnd(8)} per frame ${(f.knobs.perFrame * 1e6).toFixed(3)} us (${f.map.perFrame}); per byte ${(f.knobs.perByte * 1e9).toFixed(4)} ns (${f.map.perByte})`);
  return [
    formatTable(
      [{ title: "transport", align: "left" }, { title: "observable", align: "left" }, { title: "live us" }, { title: "fitted sim us" }, { title: "ratio", digits: 3 }],
      rows,
    ),
    "",
    "fitted numbers:",
    ...knobs,
    `  cores    ${c.cores.cores.toFixed(2)} (compute loop: ${(c.cores.alone * 1e3).toFixed(1)} ms CPU alone, ${(c.cores.shared * 1e3).toFixed(1)} ms wall on ${c.cores.ranks} ranks at once)`,
  ].join("\n");
}

export function writeCalibration(c: Calibration, file: string): void {
  writeFileSync(file, `${JSON.stringify(c.preset, null, 2)}\n`);
}
