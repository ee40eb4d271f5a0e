/**
 * Running a job: `launch()` starts every rank (live: one process per VM, a
 * worker thread per rank, plus whatever job-level processes the transports
 * need, such as one bridge per host; sim: every rank in this thread),
 * forwards output as whole lines, and resolves when every rank's `main`
 * resolved — or, as soon as any rank fails, aborts or dies, or a VM or
 * bridge process dies, stops every process and resolves with the failure
 * named. It never leaves a process behind.
 *
 * VM processes reach the launcher through the control plane
 * (control-plane.ts: WebSocket, per-job secret, challenge–response); the
 * IPC channel only carries "start" and "finish" and lets a VM notice that
 * the launcher is gone.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve as resolvePath } from "node:path";
import { deserialize } from "node:v8";
import { MpiError } from "../errors.ts";
import { type PlacementTable, ResolvedPlacement } from "../placement/resolved.ts";
import type { RankMessage } from "../engine/live/rank-worker.ts";
import type { VmStart } from "../control/protocol.ts";
import { MemoryKeyValueStore } from "../control/kvs.ts";
import { loadProgram, type RankResult } from "../engine/program.ts";
import type { SimStats } from "../engine/sim/run-sim.ts";
import { loadTransportModule, transportTable } from "../transport/registry.ts";
import { checkSettings } from "./settings.ts";
import { spinMicroseconds } from "../engine/live/spin.ts";
import { isPlacementMap, type PlacementMap } from "../placement/map.ts";
import type { JobPreparation } from "../transport/contract.ts";
import { checkProgramFile, compileProgram } from "./compile.ts";
import type { ControlPlane } from "./control-plane.ts";
import { LineSplitter } from "../control/lines.ts";
import { formatSimStats, formatStats, type JobStats } from "./stats.ts";
import { liveTrace, type RankTrace } from "../trace/live.ts";
import { traceSetting } from "../trace/settings.ts";
import { finishSim, type LaunchResult, TIMED_OUT, TIMEOUT_EXIT, timeoutFailure, withProfile } from "./outcome.ts";
import { outputBackpressure } from "./output.ts";
import { EarlyVms, spawnVm } from "./vm-processes.ts";
import { deadlockAfter, timeout } from "./job-settings.ts";

/** The abort reason that says the launcher's output pipe closed (`tsmpi run … | head`). */
export const BROKEN_PIPE = "the reader of the output went away (broken pipe)";
/** The abort reason that says the launcher got SIGTERM (exit status 143, as a shell reports it). */
export const TERMINATED = "terminated (SIGTERM)";

/** How a stopped job ends: the failure and the exit status a shell would report for the signal behind it. */
function stoppedBy(signal: AbortSignal): { why: string; code: number } {
  if (signal.reason === BROKEN_PIPE) return { why: BROKEN_PIPE, code: 141 };
  if (signal.reason === TERMINATED) return { why: "stopped by SIGTERM", code: 143 };
  return { why: "stopped by the user (interrupt)", code: 130 };
}

export interface LaunchOptions {
  /** Number of ranks. */
  np: number;
  /** Path of the program module (TypeScript or JavaScript). */
  program: string;
  args?: string[];
  engine?: "live" | "sim";
  /** Prefix every output line with `[rank]`. */
  tagOutput?: boolean;
  /** Where whole output lines go (default: this process's stdout / stderr), with the rank that wrote each (undefined: the launcher's own). */
  stdout?: (line: string, rank?: number) => void;
  stderr?: (line: string, rank?: number) => void;
  /**
   * Where ranks sit and which transport joins each pair: a placement map
   * (src/placement, validated before anything starts) or an already resolved
   * table. Default: one VM, shared memory.
   */
  placement?: PlacementTable | PlacementMap;
  /** Transport settings (`--set key=value`). */
  settings?: Record<string, string>;
  /** How long a waiting rank polls before it sleeps (default 50 µs; env TSMPI_SPIN_US). */
  spinMicroseconds?: number;
  /** Address every listener binds to (default loopback, 127.0.0.1). */
  bind?: string;
  /** Print every rank's transport counters and every bridge's to stderr at the end (`--stats`). */
  stats?: boolean;
  /** Count the messages and bytes every rank sends to every other: the result's `profile` (`tsmpi profile`). */
  profile?: boolean;
  /** Told about every process the job starts (VMs and bridges), e.g. for kill tests. */
  onProcess?: (p: { kind: "vm" | "job"; name: string; pid: number; ranks?: number[] }) => void;
  /** Told about every address the job listens on (control plane, bridges, vf ranks), e.g. for stranger tests. */
  onEndpoint?: (name: string, address: string) => void;
  /** Stops the job (Ctrl-C). */
  signal?: AbortSignal;
  /** Given, once a live job starts, a function that says what every rank is doing now, one line each (SIGQUIT prints it). */
  onStates?: (states: () => string[]) => void;
}

export type { LaunchResult } from "./outcome.ts";


/** Resolve a map or table for `np` ranks; throws ERR_PLACEMENT before anything starts. */
export function resolvePlacement(placement: PlacementTable | PlacementMap | undefined, np: number): PlacementTable | undefined {
  if (placement === undefined) return undefined;
  if (isPlacementMap(placement)) return ResolvedPlacement.fromMap(placement, np).table;
  if (placement.hosts.length !== np || placement.vms.length !== np || placement.pairs.length !== np * np)
    throw new MpiError("ERR_PLACEMENT", `the placement table describes ${placement.hosts.length} ranks but the job has ${np}; build it for -n ${np}`);
  return placement;
}

export async function launch(options: LaunchOptions): Promise<LaunchResult> {
  const np = options.np;
  if (!Number.isInteger(np) || np < 1) throw new MpiError("ERR_ARG", `launch: np must be a positive integer, got ${String(np)}`);
  const started = performance.now();
  const source = resolvePath(options.program);
  checkProgramFile(source);
  checkSettings(options.settings ?? {});
  const table = resolvePlacement(options.placement, np);
  // A live job's placement (one VM by default); its VM processes boot while the program compiles (vm-processes.ts).
  const liveTable = (options.engine ?? "live") === "live" ? (table ?? ResolvedPlacement.singleVm(np).table) : undefined;
  const early = liveTable ? new EarlyVms(liveTable.vms, np) : undefined;
  // Compiled for every VM and rank (compile.ts: kept for the next job while its sources are unchanged).
  let compiled: Awaited<ReturnType<typeof compileProgram>>;
  try {
    compiled = await compileProgram(source);
  } catch (e) {
    early?.stop();
    throw e;
  }
  try {
    if (liveTable) return withProfile(await runLive(options, liveTable, compiled.path, started, early), np, options.profile);
    return await launchSim(options, table, compiled.path, started);
  } finally {
    early?.stop();
    compiled.remove();
  }
}

async function launchSim(options: LaunchOptions, table: PlacementTable | undefined, program: string, started: number): Promise<LaunchResult> {
  const np = options.np;
  process.setSourceMapsEnabled(true);
  // Loaded only for the simulator: a live launch starts sooner without it.
  const { runSim, simOptionsFrom } = await import("../engine/sim/run-sim.ts");
  const main = await loadProgram(program);
  let sim: SimStats | undefined;
  // --timeout stops the simulation as a signal would (between events).
  const limit = timeout.read(options.settings ?? {});
  const stop = new AbortController();
  const forward = (): void => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", forward);
  if (options.signal?.aborted) forward();
  const timer = limit > 0 ? setTimeout(() => stop.abort(TIMED_OUT), limit * 1000) : undefined;
  const ranks = await runSim({
    np,
    main,
    args: options.args,
    settings: options.settings,
    placement: table ? new ResolvedPlacement(table) : ResolvedPlacement.singleVm(np, "memory"),
    stdout: options.stdout,
    stderr: options.stderr,
    tagOutput: options.tagOutput,
    ...simOptionsFrom(options.settings ?? {}),
    signal: stop.signal,
    onStats: (s) => {
      sim = s;
    },
    profile: options.profile,
  }).finally(() => {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", forward);
  });
  if (stop.signal.reason === TIMED_OUT) {
    return { ok: false, exitCode: TIMEOUT_EXIT, ranks, seconds: (performance.now() - started) / 1000, failure: timeoutFailure(limit, undefined) };
  }
  if (options.signal?.aborted) {
    const { why, code } = stoppedBy(options.signal);
    return { ok: false, exitCode: code, ranks, seconds: (performance.now() - started) / 1000, failure: why };
  }
  if (options.stats && sim) for (const line of formatSimStats(sim).split("\n")) (options.stderr ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  return withProfile({ ...finishSim(ranks, started), sim }, options.np, options.profile);
}

interface VmEntry {
  vm: string;
  ranks: number[];
  child: ChildProcess | undefined;
  childClosed: boolean;
  controlOpen: boolean;
  closed: boolean;
}

/** How long a rank's transport error waits for the cause (a VM or bridge death) to be reported first. */
const SECONDARY_FAILURE_MS = 500;

async function runLive(options: LaunchOptions, table: PlacementTable, program: string, started: number, early?: EarlyVms): Promise<LaunchResult> {
  // Loaded here, after the VM processes were spawned (the collectives' check and msgpackr come with it).
  const { HangWatch } = await import("./hang-watch.ts");
  const np = options.np;
  const out = options.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const spin = options.spinMicroseconds ?? spinMicroseconds(np);
  const settings = options.settings ?? {};
  const bind = options.bind ?? "127.0.0.1";
  const secret = randomBytes(32).toString("hex");
  const ranks: RankResult[] = Array.from({ length: np }, (_, rank) => ({ rank, ok: false }));
  const rankStats: JobStats["ranks"] = {};
  const traceFile = traceSetting.given(settings);
  const rankTraces: (RankTrace | undefined)[] = new Array(np);
  const byVm = new Map<string, VmEntry>();
  table.vms.forEach((vm, rank) => {
    let e = byVm.get(vm);
    if (!e) byVm.set(vm, (e = { vm, ranks: [], child: undefined, childClosed: false, controlOpen: false, closed: false }));
    e.ranks.push(rank);
  });
  const entries = [...byVm.values()];

  let doneCount = 0;
  let failure: string | undefined;
  let exitCode = 0;
  let finished = false;
  let secondary: ReturnType<typeof setTimeout> | undefined;
  let resolveJob: (r: LaunchResult) => void = () => {};
  const result = new Promise<LaunchResult>((r) => (resolveJob = r));
  const preparations: JobPreparation[] = [];

  const fail = (why: string, code = 1): void => {
    if (failure !== undefined || finished) return;
    clearTimeout(secondary);
    failure = why;
    exitCode = code;
    for (const e of entries) if (e.child && !e.childClosed) e.child.kill("SIGKILL");
    if (entries.every((e) => !e.child)) void finish();
  };
  /** A failure that may be the echo of another (a peer's ERR_TRANSPORT after its VM died): report it only if nothing better comes. */
  const failLater = (why: string): void => {
    if (failure !== undefined || secondary) return;
    secondary = setTimeout(() => fail(why), SECONDARY_FAILURE_MS);
  };

  const finish = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    clearTimeout(secondary);
    clearInterval(watchTimer);
    clearTimeout(timeoutTimer);
    options.signal?.removeEventListener("abort", onAbort);
    const processes: JobStats["processes"] = {};
    for (const p of preparations) {
      try {
        Object.assign(processes, await p.stop());
      } catch (e) {
        err(`tsmpi: stopping a transport's processes failed: ${(e as Error).message}`);
      }
    }
    await control?.close();
    const stats: JobStats = { ranks: rankStats, processes, strangers: control?.strangers ?? 0 };
    if (options.stats) for (const line of formatStats(stats).split("\n")) err(line);
    if (traceFile) {
      try {
        liveTrace(rankTraces, table.vms, table.hosts).write(traceFile);
      } catch (e) {
        err(`tsmpi: writing the trace to ${traceFile} failed: ${(e as Error).message}`);
      }
    }
    resolveJob({
      ok: failure === undefined,
      exitCode: failure === undefined ? 0 : exitCode || 1,
      ranks,
      failure,
      seconds: (performance.now() - started) / 1000,
      stats,
    });
  };

  const checkClosed = (): void => {
    for (const e of entries) e.closed = e.childClosed && !e.controlOpen;
    if (entries.every((e) => e.closed)) void finish();
  };

  // Exit codes as a shell reports a program killed by SIGINT (130), SIGPIPE (141) or SIGTERM (143).
  const onAbort = (): void => {
    const { why, code } = stoppedBy(options.signal!);
    fail(why, code);
  };
  options.signal?.addEventListener("abort", onAbort);

  const rankDone = (): void => {
    if (++doneCount === np && failure === undefined) for (const e of entries) if (e.child?.connected) e.child.send({ type: "finish" });
  };

  // Hang detection: the ranks' pulses, looked at twice a second.
  const watch = new HangWatch(np, deadlockAfter.read(settings) * 1000);
  const watchTimer = setInterval(() => {
    const report = watch.check();
    if (report) fail(report);
  }, 500);
  watchTimer.unref();
  options.onStates?.(() => watch.states());
  // mpirun's --timeout: counted from the launch, ended with the same per-rank states the deadlock report gives.
  const limit = timeout.read(settings);
  const timeoutTimer = limit > 0 ? setTimeout(() => fail(timeoutFailure(limit, watch.states()), TIMEOUT_EXIT), Math.max(0, limit * 1000 - (performance.now() - started))) : undefined;

  const onRank = (rank: number, m: RankMessage): void => {
    if (rank < 0 || rank >= np) return;
    if (m.type === "pulse") watch.pulse(rank, m.pulse);
    else if (m.type === "done") {
      watch.returned(rank);
      if (!ranks[rank]!.ok) {
        ranks[rank] = { rank, ok: true, value: m.value, sent: m.sent };
        if (m.stats) rankStats[rank] = m.stats;
        if (m.trace) rankTraces[rank] = m.trace;
        rankDone();
      }
    } else if (m.type === "failed") {
      ranks[rank] = { rank, ok: false, error: m.error, code: m.code };
      if (m.code === "ERR_TRANSPORT") failLater(`rank ${rank} failed: ${m.error}`);
      else fail(`rank ${rank} failed: ${m.error}`);
    } else if (m.type === "abort") {
      ranks[rank] = { rank, ok: false, error: `called abort(${m.code})`, code: "ERR_ABORTED" };
      fail(`rank ${rank} called abort(${m.code})`, m.code || 1);
    }
  };

  let control: ControlPlane | undefined;
  const holdOutput = outputBackpressure(
    () => control?.pauseReading(),
    () => control?.resumeReading(),
  );
  const kvs = new MemoryKeyValueStore();
  if (options.onEndpoint) {
    const report = options.onEndpoint;
    const put = kvs.put.bind(kvs);
    kvs.put = async (key: string, value: string) => {
      if (/^[\w.:[\]-]+:\d+$/.test(value)) report(`kvs ${key}`, value);
      return put(key, value);
    };
  }
  try {
    // Loaded now, not with this module (ws, http, msgpackr): the VM processes are already booting meanwhile.
    const { ControlPlane } = await import("./control-plane.ts");
    control = await ControlPlane.start(bind, secret, kvs, new Set(byVm.keys()), {
      message(vm, m) {
        if (m.type === "output") {
          (m.stream === "stdout" ? out : err)(m.line, m.rank);
          holdOutput();
        }
        else if (m.type === "rank") onRank(m.rank, deserialize(m.message) as RankMessage);
        else if (m.type === "rank-exit") {
          if (!ranks[m.rank]!.ok && ranks[m.rank]!.error === undefined) {
            ranks[m.rank] = { rank: m.rank, ok: false, error: `its thread exited with code ${m.code} before main finished` };
            fail(`rank ${m.rank} (VM ${vm}) exited with code ${m.code} before its main finished`);
          }
        }
      },
      closed(vm) {
        const e = byVm.get(vm);
        if (e) e.controlOpen = false;
        checkClosed();
      },
      log: err,
    });
    options.onEndpoint?.("control plane", `${bind}:${control.port}`);
    const used = new Set<string>();
    for (let a = 0; a < np; a++) for (let b = 0; b < np; b++) if (a !== b) used.add(table.transports[table.pairs[a * np + b]!]!);
    for (const name of used) {
      const mod = await loadTransportModule(name);
      if (!mod.prepareJob) continue;
      const index = table.transports.indexOf(name);
      const prep = await mod.prepareJob({
        size: np,
        hosts: table.hosts,
        vms: table.vms,
        uses: (a, b) => a !== b && table.pairs[a * np + b] === index,
        settings,
        secret,
        bind,
        kvs,
        log: err,
        fail: (why) => fail(why),
      });
      preparations.push(prep);
      for (const p of prep.processes) options.onProcess?.({ kind: "job", name: p.name, pid: p.pid });
      for (const p of prep.endpoints ?? []) options.onEndpoint?.(p.name, p.address);
    }
  } catch (e) {
    failure = `the job could not start: ${(e as Error).message}`;
    await finish();
    return result;
  }
  if (failure !== undefined) {
    await finish();
    return result;
  }

  for (const e of entries) {
    const child = early?.take(e.vm) ?? spawnVm(np, e.ranks);
    e.child = child;
    e.controlOpen = true;
    options.onProcess?.({ kind: "vm", name: e.vm, pid: child.pid ?? -1, ranks: e.ranks });
    // The VM's own output (not its ranks'): start-up errors, crashes.
    const so = new LineSplitter(out);
    const se = new LineSplitter(err);
    child.stdout!.on("data", (c: Buffer) => so.push(c));
    child.stderr!.on("data", (c: Buffer) => se.push(c));
    child.on("exit", (code, signal) => {
      if (doneCount < np || code !== 0) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        fail(`VM ${e.vm} (process ${child.pid}, ranks ${e.ranks.join(",")}) ${how} before its ranks finished`);
      }
    });
    child.on("close", () => {
      so.end();
      se.end();
      e.childClosed = true;
      // The control connection closes with the process; allow a moment for its last messages.
      if (e.controlOpen)
        setTimeout(() => {
          e.controlOpen = false;
          checkClosed();
        }, 1000).unref();
      checkClosed();
    });
    child.on("error", (x) => fail(`VM ${e.vm} could not start: ${x.message}`));
    const jobOptions: Record<string, unknown> = { "job.secret": secret, "job.bind": bind };
    for (const p of preparations) Object.assign(jobOptions, p.options[e.vm] ?? {});
    const start: VmStart = {
      type: "start",
      vm: e.vm,
      ranks: e.ranks,
      size: np,
      program,
      args: options.args ?? [],
      tagOutput: options.tagOutput ?? false,
      placement: table,
      settings,
      spinMicroseconds: spin,
      profile: options.profile,
      transports: transportTable(),
      control: { url: control.url, secret },
      jobOptions,
    };
    child.send(start);
  }
  return result;
}
