/**
 * The rank threads of one VM process, whoever launched it: one worker thread
 * per rank, its output cut into whole lines, its address lookups served by
 * the VM's key-value store, its outcome handed to the owner. Used by the VM
 * of tsmpi's own launcher (vm-process.ts) and by `tsmpi exec` under Hydra or
 * Slurm (exec.ts).
 */
import { MODULE_EXTENSION } from "../../constants.ts";
import type { Readable } from "node:stream";
import { Worker } from "node:worker_threads";
import { LineSplitter } from "../../control/lines.ts";
import { createRing, RingReader } from "./output-ring.ts";
import type { PlacementTable } from "../../placement/resolved.ts";
import type { KeyValueStore } from "../../transport/contract.ts";
import { loadTransportModule } from "../../transport/registry.ts";
import type { RankMessage, RankPlan } from "./rank-worker.ts";

export interface RankThreadsHooks {
  /** A whole line a rank printed. */
  output(stream: "stdout" | "stderr", line: string, rank: number): void;
  /** Where lookups and publications of the rank threads go. */
  kvs: KeyValueStore;
  /** A rank opened its transports, finished, failed or aborted. */
  report(rank: number, message: RankMessage): void;
  /** A rank's thread ended (after "done", or instead of it). */
  exited(rank: number, code: number): void;
}

const threadEntry = new URL("./thread-entry.js", import.meta.url);
const rankEntry = new URL(`./rank-worker${MODULE_EXTENSION}`, import.meta.url);

export type { RankPlan } from "./rank-worker.ts";

/**
 * A VM's rank threads. They are started first, with only their rank, and
 * load the runtime while the VM process gets its plan (on two cores a job's
 * start-up is a chain of such waits); `begin` then hands each its plan and
 * says where its outcome and output go.
 */
export class RankThreads {
  private readonly workers: Worker[] = [];
  /** Output streams still open. */
  private running = 0;
  private drained: (() => void) | undefined;
  /** While set, rank output is not drained (the launcher's output is backed up): ranks that print block. */
  private hold: { promise: Promise<void>; release: () => void } | undefined;
  private hooks: RankThreadsHooks | undefined;
  private tagOutput = false;
  /** What happened before `begin` (a thread that failed to load, its first lines): told once the hooks are known. */
  private early: ((hooks: RankThreadsHooks) => void)[] = [];

  readonly ranks: readonly number[];

  constructor(ranks: readonly number[]) {
    this.ranks = ranks;
    for (const rank of ranks) {
      const rings = { stdout: createRing(), stderr: createRing() };
      const w = new Worker(threadEntry, { workerData: { rank, entry: rankEntry.href, outputRings: rings }, stdout: true, stderr: true, name: `rank ${rank}` });
      this.workers.push(w);
      // The rank's console goes through the rings; what else reaches the thread's stdio (rare) is forwarded as before.
      const readers = [this.drain(rings.stdout, "stdout", rank), this.drain(rings.stderr, "stderr", rank)];
      w.on("exit", () => {
        for (const r of readers) r.close();
      });
      this.forward(w.stdout, "stdout", rank);
      this.forward(w.stderr, "stderr", rank);
      w.on("message", (m: RankMessage) => this.tell((hooks) => this.answer(w, rank, m, hooks)));
      w.on("error", (e) => this.tell((hooks) => hooks.report(rank, { type: "failed", error: e instanceof Error ? (e.stack ?? e.message) : String(e) })));
      w.on("exit", (code) => this.tell((hooks) => hooks.exited(rank, code)));
    }
  }

  /** Hand every thread the job's plan; from now on their outcome and output go to `hooks`. */
  begin(plan: RankPlan, tagOutput: boolean, hooks: RankThreadsHooks): void {
    this.tagOutput = tagOutput;
    this.hooks = hooks;
    for (const f of this.early.splice(0)) f(hooks);
    for (const w of this.workers) w.postMessage({ type: "plan", plan });
  }

  private tell(f: (hooks: RankThreadsHooks) => void): void {
    if (this.hooks) f(this.hooks);
    else this.early.push(f);
  }

  private answer(w: Worker, rank: number, m: RankMessage, hooks: RankThreadsHooks): void {
    if (m.type === "kvs-put") void hooks.kvs.put(m.key, m.value);
    else if (m.type === "kvs-get")
      hooks.kvs.get(m.key).then(
        (value) => w.postMessage({ type: "kvs-value", id: m.id, value }),
        (e: Error) => hooks.report(rank, { type: "failed", error: e.message, code: (e as { code?: string }).code }),
      );
    else hooks.report(rank, m);
  }

  /**
   * Every rank of the job is done: the threads close their transports (saying
   * goodbye to peers) and end. Resolves once their output has drained.
   */
  finish(): Promise<void> {
    for (const w of this.workers) w.postMessage({ type: "finish" });
    // A rank whose program left a timer or socket open would keep its thread alive.
    setTimeout(() => {
      for (const w of this.workers) void w.terminate();
    }, 2000).unref();
    return new Promise((resolve) => {
      if (this.running === 0) resolve();
      else this.drained = resolve;
    });
  }

  /** Stop draining rank output until `resumeOutput` (the output's consumer is backed up). */
  pauseOutput(): void {
    if (this.hold) return;
    let release!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    this.hold = { promise, release };
  }

  resumeOutput(): void {
    const h = this.hold;
    this.hold = undefined;
    h?.release();
  }

  private lines(to: "stdout" | "stderr", rank: number): LineSplitter {
    return new LineSplitter((line) => this.tell((hooks) => hooks.output(to, this.tagOutput ? `[${rank}] ${line}` : line, rank)));
  }

  private drain(ring: SharedArrayBuffer, to: "stdout" | "stderr", rank: number): RingReader {
    const lines = this.lines(to, rank);
    const reader = new RingReader(ring);
    this.running++;
    void reader
      .pump(
        (chunk) => lines.push(chunk),
        () => this.hold?.promise,
      )
      .then(() => {
        lines.end();
        if (--this.running === 0) this.drained?.();
      });
    return reader;
  }

  private forward(stream: Readable, to: "stdout" | "stderr", rank: number): void {
    const lines = this.lines(to, rank);
    this.running++;
    stream.on("data", (chunk: Buffer) => lines.push(chunk));
    stream.on("end", () => {
      lines.end();
      if (--this.running === 0) this.drained?.();
    });
  }
}

/** What a VM is, for its transports' process-wide set-up. */
export interface VmPlan {
  vm: string;
  ranks: readonly number[];
  size: number;
  placement: PlacementTable;
  settings: Record<string, string>;
}

/**
 * Runs `prepareProcess` of every transport this VM's ranks use (a NIC
 * thread, shared rings) and merges what each returns into `into`, the
 * options every rank gets.
 */
export async function prepareTransports(m: VmPlan, bind: string, into: Record<string, unknown>, kvs: KeyValueStore): Promise<void> {
  const names = new Set<string>();
  for (const r of m.ranks) for (let p = 0; p < m.size; p++) if (p !== r) names.add(m.placement.transports[m.placement.pairs[r * m.size + p]!]!);
  for (const name of names) {
    const mod = await loadTransportModule(name);
    if (mod.prepareProcess) Object.assign(into, await mod.prepareProcess({ vm: m.vm, ranks: m.ranks, size: m.size, settings: m.settings, bind, kvs }));
  }
}
