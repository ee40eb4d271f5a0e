/**
 * The simulator engine: every rank's `main` runs as an async task in this
 * thread, over the in-memory transport, with the same core, matching engine
 * and collectives as the live engine. A watchdog turns a silent stall (every
 * unfinished rank waiting on a message nobody will send) into ERR_DEADLOCK.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { formatWithOptions } from "node:util";
import type { Comm } from "../../api/comm.ts";
import { MpiError } from "../../errors.ts";
import { ResolvedPlacement } from "../../placement/resolved.ts";
import type { RankCore } from "../../core/rank-core.ts";
import { openRank } from "../rank.ts";
import type { Deliver, Transport } from "../../transport/contract.ts";
import { describeError, type MainFunction, type RankResult } from "../program.ts";
import { MemoryKeyValueStore } from "../../control/kvs.ts";
import { loadTransport } from "../../transport/registry.ts";

/** The rank whose code is running now (for tagging output in the simulator). */
export const currentRank = new AsyncLocalStorage<number>();

export interface SimOptions {
  np: number;
  main: MainFunction;
  args?: string[];
  placement?: ResolvedPlacement;
  settings?: Record<string, string>;
  /** Where ranks' console output goes, line by line (default: this process's streams). */
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  /** Prefix each line with `[rank]`. */
  tagOutput?: boolean;
  /** A stall longer than this with every unfinished rank waiting is a deadlock. */
  deadlockMs?: number;
  /** Stops the job (Ctrl-C, SIGTERM): every rank's pending call fails and runSim returns without waiting for them. */
  signal?: AbortSignal;
}

export async function runSim(options: SimOptions): Promise<RankResult[]> {
  const { np, main } = options;
  const args = options.args ?? [];
  const placement = options.placement ?? ResolvedPlacement.singleVm(np, "memory");
  const bus: Deliver[] = [];
  const kvs = new MemoryKeyValueStore();
  const cores: RankCore[] = [];
  const transports: Transport[] = [];
  const results: RankResult[] = Array.from({ length: np }, (_, rank) => ({ rank, ok: false }));
  const finished = new Array<boolean>(np).fill(false);
  let aborted: MpiError | undefined;

  const endJob = (error: MpiError): void => {
    if (!aborted) aborted = error;
    for (let r = 0; r < np; r++) if (!finished[r]) cores[r]!.failAll(error);
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
  for (let rank = 0; rank < np; rank++) {
    // Every pair travels over the in-memory wire, whatever the placement says.
    const opened = await openRank({
      rank,
      size: np,
      transportTo: () => "memory",
      load: loadTransport,
      options: { bus },
      settings: options.settings ?? {},
      kvs,
      spinMicroseconds: 0,
      services,
    });
    cores.push(opened.core);
    worlds.push(opened.world);
    transports.push(...opened.transports.values());
  }

  let lastActivity = -1;
  let stalledSince = Date.now();
  const deadlockMs = options.deadlockMs ?? 2000;
  const watchdog = setInterval(() => {
    let activity = 0;
    let allWaiting = true;
    let unfinished = 0;
    for (let r = 0; r < np; r++) {
      activity += cores[r]!.activity;
      if (!finished[r]) {
        unfinished++;
        if (cores[r]!.pendingCount <= 0) allWaiting = false;
      }
    }
    if (activity !== lastActivity || !allWaiting || unfinished === 0) {
      lastActivity = activity;
      stalledSince = Date.now();
      return;
    }
    if (Date.now() - stalledSince >= deadlockMs) {
      const report = cores
        .map((c, r) =>
          finished[r]
            ? undefined
            : c.pendingCount > 0
              ? `rank ${r} waits on ${c.describePending()}`
              : `rank ${r} is outside MPI, its main awaiting something that never settles (no timer, no MPI call)`,
        )
        .filter(Boolean)
        .join("\n  ");
      endJob(
        new MpiError(
          "ERR_DEADLOCK",
          `no rank can make progress:\n  ${report}\nevery receive needs a matching send; check sources, tags and the order of blocking calls`,
        ),
      );
    }
  }, 50);

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
  const restoreConsole = captureConsole(options);
  try {
    const all = Promise.all(
      worlds.map(async (world, rank) => {
        try {
          const value = await currentRank.run(rank, () => main(world, args));
          results[rank] = { rank, ok: true, value };
        } catch (e) {
          results[rank] = { rank, ok: false, ...describeError(e) };
          endJob(
            e instanceof MpiError && e.code === "ERR_ABORTED"
              ? e
              : new MpiError("ERR_ABORTED", `rank ${rank} failed: ${e instanceof Error ? e.message : String(e)}`),
          );
        } finally {
          finished[rank] = true;
        }
      }),
    );
    await Promise.race([all, stopped]);
  } finally {
    options.signal?.removeEventListener("abort", onStop);
    restoreConsole();
    clearInterval(watchdog);
    for (const c of cores) c.close();
    await Promise.all(transports.map((t) => t.close()));
  }
  return results;
}

/**
 * Every rank shares this thread's console, so output is routed by the rank
 * whose code is running (AsyncLocalStorage): whole lines, tagged on request,
 * to the launcher's line sinks. Writes straight to process.stdout bypass it.
 */
function captureConsole(options: SimOptions): () => void {
  if (!options.stdout && !options.stderr && !options.tagOutput) return () => {};
  const out = options.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn, error: console.error };
  const route =
    (sink: (line: string) => void) =>
    (...args: unknown[]): void => {
      const rank = currentRank.getStore();
      const prefix = options.tagOutput && rank !== undefined ? `[${rank}] ` : "";
      for (const line of formatWithOptions({ colors: false }, ...args).split("\n")) sink(prefix + line);
    };
  console.log = console.info = console.debug = route(out);
  console.warn = console.error = route(err);
  return () => Object.assign(console, saved);
}
