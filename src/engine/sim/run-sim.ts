/**
 * The simulator engine: every rank's `main` runs as an async task in this
 * thread under a discrete-event scheduler on virtual time (world.ts), with the
 * same core, matching engine and collectives as the live engine. Every frame
 * the core emits is charged on its pair's path under the chosen model
 * (`--model`); `wtime()` is the running rank's virtual time. A deadlock is
 * known the moment no event is pending while ranks still wait, and is
 * reported at once, naming each blocked rank's pending receives.
 */
import { formatWithOptions } from "node:util";
import { Comm } from "../../api/comm.ts";
import { Request } from "../../core/request.ts";
import { type CallTracer, traceCalls } from "../../trace/calls.ts";
import { type Clock, currentClock, setCurrentClock } from "../../core/clock.ts";
import type { RankCore } from "../../core/rank-core.ts";
import { collectiveMismatch } from "../../coll/check.ts";
import { MpiError } from "../../errors.ts";
import { loadModel, type Model } from "../../model/load.ts";
import { timeShareFactor } from "../../model/time-share.ts";
import { ResolvedPlacement } from "../../placement/resolved.ts";
import { MemoryKeyValueStore } from "../../control/kvs.ts";
import { leftoverError, openRank, sentRow } from "../rank.ts";
import type { SentCounts } from "../../core/observer.ts";
import { describeError, type MainFunction, type RankResult } from "../program.ts";
import { chargerFor, simLimits } from "./charger.ts";
import { loadPaths } from "./paths.ts";
import { SimWire } from "./wire.ts";
import { computeClockFrom, computeScaleFrom, modelSetting } from "./settings.ts";
import { simTrace } from "./trace.ts";
import { traceSetting } from "../../trace/settings.ts";
import { SimWorld } from "./world.ts";

/** The default model: SR-IOV with posted interrupts between VMs, shared memory inside one. */
export const DEFAULT_MODEL = "sriov-posted";

export interface SimOptions {
  np: number;
  main: MainFunction;
  args?: string[];
  placement?: ResolvedPlacement;
  settings?: Record<string, string>;
  /** Where ranks' console output goes, line by line (default: this process's streams). */
  stdout?: (line: string, rank?: number) => void;
  stderr?: (line: string, rank?: number) => void;
  /** Prefix each line with `[rank]`. */
  tagOutput?: boolean;
  /** `--model NAME|FILE|loggp:...` or a loaded model (default sriov-posted). */
  model?: string | Model;
  /** Multiplies each compute burst's wall time (default 1); 0 charges nothing (`--compute none`). */
  computeScale?: number;
  /** Milliseconds by the clock bursts are measured on (default the wall clock; `--compute cpu`: CPU time). */
  computeClock?: () => number;
  /** Stops the run (Ctrl-C): every rank fails with ERR_ABORTED. */
  signal?: AbortSignal;
  /** Write a Chrome trace-event JSON of the run here (`--trace FILE`). */
  traceFile?: string;
  /** Told the run's figures when it ends (--stats, --manifest). */
  onStats?: (stats: SimStats) => void;
  /** Count what every rank sends to every other (`tsmpi profile`). */
  profile?: boolean;
}

/** The simulator's options a job's settings give (`--model`, `--compute`, `--compute-scale`, `--trace`). */
export function simOptionsFrom(settings: Readonly<Record<string, string>>): Pick<SimOptions, "model" | "computeScale" | "computeClock" | "traceFile"> {
  return {
    model: modelSetting.read(settings),
    computeScale: computeScaleFrom(settings),
    computeClock: computeClockFrom(settings),
    traceFile: traceSetting.given(settings),
  };
}

export interface SimStats {
  ranks: number;
  virtualSeconds: number;
  events: number;
  frames: number;
  /** Wall time of the whole run, start-up (opening every rank) included. */
  wallSeconds: number;
  /** Of it, the start-up: loading the model and paths and opening every rank, before any rank's main runs. */
  startupSeconds: number;
  /** Frames per second of the whole run's wall time. */
  framesPerSecond: number;
  peakRssBytes: number;
  model: string;
  /** Busy fraction, frames served and mean wait per shared resource. */
  resources: Record<string, { utilisation: number; served: number; meanWait: number; maxBacklog: number; interrupts: number }>;
}

export async function runSim(options: SimOptions): Promise<RankResult[]> {
  const started = performance.now();
  const { np, main } = options;
  const args = options.args ?? [];
  const placement = options.placement ?? ResolvedPlacement.singleVm(np, "memory");
  const model = typeof options.model === "object" ? options.model : loadModel(options.model ?? DEFAULT_MODEL);
  const names = new Set<string>(["shm"]);
  for (let a = 0; a < np; a++) for (let b = 0; b < np; b++) if (a !== b) names.add(placement.transportBetween(a, b));
  const charger = chargerFor(np, placement, model, await loadPaths(names));
  const cores: RankCore[] = [];
  // Compute bursts are time-shared too when the model's machine has fewer cores than the job has ranks.
  const computeScale = (options.computeScale ?? 1) * (model.kind === "stages" ? timeShareFactor(model.cost, np) : 1);
  const world = new SimWorld(np, charger, computeScale, (rank, source, buffer, start, length) => cores[rank]!.deliver(source, buffer, start, length), options.computeClock);
  const traced = options.traceFile
    ? simTrace(placement, np, charger.resources, (r) => cores[r]!.describePending(), { engine: "sim", model: model.name, np })
    : undefined;
  world.observer = traced?.observer;
  const results: RankResult[] = Array.from({ length: np }, (_, rank) => ({ rank, ok: false }));
  let aborted: MpiError | undefined;

  const endJob = (error: MpiError): void => {
    // Once: every rank's core fails its pending and later calls from then on, and a job whose
    // every rank throws would otherwise fail every core again per rank (np² scans of np peers).
    if (aborted) return;
    aborted = error;
    for (let r = 0; r < np; r++) if (!world.finished[r]) cores[r]!.failAll(error);
  };
  const services = {
    placement,
    settings: options.settings ?? {},
    abort(code: number, rank: number): never {
      const e = new MpiError("ERR_ABORTED", `rank ${rank} called abort(${code})`);
      endJob(e);
      throw e;
    },
  };
  const worlds: Comm[] = [];
  const sents: (SentCounts | undefined)[] = [];
  for (let rank = 0; rank < np; rank++) {
    // One wire per transport name, with that transport's limits, so the core picks the protocol it would live.
    const clock: Clock = { now: () => world.now(rank) };
    const opened = await openRank({
      rank,
      size: np,
      transportTo: (peer) => placement.transportBetween(rank, peer),
      load: async (name) => () => new SimWire(name, rank, world, simLimits(name, model)),
      options: {},
      settings: options.settings ?? {},
      kvs: new MemoryKeyValueStore(),
      spinMicroseconds: 0,
      services,
      clock,
      sim: { waits: () => world.waits(rank), settled: () => world.settled(rank), nextArrival: () => world.nextArrival(rank) },
      profile: options.profile,
    });
    sents.push(opened.sent);
    cores.push(opened.core);
    worlds.push(opened.world);
  }

  const startupSeconds = (performance.now() - started) / 1000;
  // A stop does not wait for ranks that may never come back (a compute loop between awaits, a promise that never settles).
  let onStop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    onStop = () => {
      endJob(new MpiError("ERR_ABORTED", "the job was stopped (a signal)"));
      resolve();
    };
    if (options.signal?.aborted) onStop();
    else options.signal?.addEventListener("abort", onStop, { once: true });
  });
  const restoreConsole = captureConsole(options, () => world.running);
  const previousClock = currentClock();
  setCurrentClock({ now: () => world.current() });
  const mains: Promise<void>[] = [];
  try {
    for (let rank = 0; rank < np; rank++) {
      await world.run(rank, () => {
        mains.push(
          Promise.resolve()
            .then(() => main(traced ? traceCalls(worlds[rank]!, callTracer(world, rank)) : worlds[rank]!, args))
            .then(
              (value) => {
                results[rank] = { rank, ok: true, value, sent: sentRow(sents[rank]) };
              },
              (e: unknown) => {
                results[rank] = { rank, ok: false, ...describeError(e) };
                endJob(
                  e instanceof MpiError && e.code === "ERR_ABORTED"
                    ? e
                    : new MpiError("ERR_ABORTED", `rank ${rank} failed: ${e instanceof Error ? e.message : String(e)}`),
                );
              },
            )
            .finally(() => world.done(rank)),
        );
      });
    }
    await Promise.race([world.loop(), stopped]);
    const stuck = world.unfinished();
    // A rank with no MPI call pending awaits something that never settles: it is named, and not waited for.
    const idle = stuck.filter((r) => cores[r]!.blockedCount <= 0);
    let awaited = mains;
    if (stuck.length > 0 && !aborted && !options.signal?.aborted) {
      awaited = mains.filter((_, r) => !idle.includes(r));
      for (const r of idle) results[r] = { rank: r, ok: false, error: "its main awaits something that never settles", code: "ERR_DEADLOCK" };
      const lines = Array.from({ length: np }, (_, r) =>
        !stuck.includes(r)
          ? `rank ${r} has returned from main`
          : idle.includes(r)
            ? `rank ${r} is outside MPI, its main awaiting something that never settles (no timer, no MPI call)`
            : `rank ${r} waits on ${cores[r]!.describePending()}`,
      );
      const report = lines.join("\n  ");
      const mismatch = collectiveMismatch(lines);
      const stall = `no rank can make progress (virtual time ${world.virtualSeconds().toExponential(3)} s, no event pending):\n  ${report}`;
      endJob(
        mismatch
          ? new MpiError("ERR_COLL_MISMATCH", `${mismatch}; every rank must call the same collectives in the same order, with the same root and op\n${stall}`)
          : new MpiError("ERR_DEADLOCK", `${stall}\nevery receive needs a matching send; check sources, tags and the order of blocking calls`),
      );
    }
    await Promise.race([Promise.all(awaited), stopped]);
    // Every main returned: a collective message nobody received means ranks called different collectives.
    for (let r = 0; r < np && !aborted && !options.signal?.aborted; r++) {
      const left = results[r]!.ok ? cores[r]!.collectiveLeftover() : undefined;
      if (left) {
        const e = leftoverError(r, left);
        results[r] = { rank: r, ok: false, error: e.message, code: e.code };
        endJob(e);
      }
    }
  } finally {
    options.signal?.removeEventListener("abort", onStop);
    setCurrentClock(previousClock);
    restoreConsole();
    for (const c of cores) c.close();
  }
  if (traced) traced.trace.write(options.traceFile!);
  const wallSeconds = (performance.now() - started) / 1000;
  const virtualSeconds = world.virtualSeconds();
  options.onStats?.({
    ranks: np,
    virtualSeconds,
    events: world.scheduler.handled,
    frames: world.frames,
    wallSeconds,
    startupSeconds,
    framesPerSecond: world.frames / wallSeconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    model: model.name,
    resources: charger.resources.report(virtualSeconds),
  });
  return results;
}

/**
 * Every rank shares this thread's console, so output is routed by the rank
 * running now (the simulator runs one at a time; AsyncLocalStorage would cost
 * a hook per promise): whole lines, tagged on request, to the launcher's line
 * sinks. Writes straight to process.stdout bypass it.
 */
function captureConsole(options: SimOptions, running: () => number): () => void {
  if (!options.stdout && !options.stderr && !options.tagOutput) return () => {};
  const out = options.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn, error: console.error };
  const route =
    (sink: (line: string, rank?: number) => void) =>
    (...args: unknown[]): void => {
      const now = running();
      const rank = now >= 0 ? now : undefined;
      const prefix = options.tagOutput && rank !== undefined ? `[${rank}] ` : "";
      for (const line of formatWithOptions({ colors: false }, ...args).split("\n")) sink(prefix + line, rank);
    };
  console.log = console.info = console.debug = route(out);
  console.warn = console.error = route(err);
  return () => Object.assign(console, saved);
}

/** A traced rank's calls, on its virtual clock. */
function callTracer(world: SimWorld, rank: number): CallTracer {
  return {
    now: () => world.now(rank),
    call: (name, start, end) => world.traceCall(rank, name, start, end),
    isHandle: (v) => v instanceof Request,
    isComm: (v): v is object => v instanceof Comm,
  };
}
