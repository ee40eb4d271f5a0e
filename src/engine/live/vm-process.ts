/**
 * A VM of the live engine: one OS process (its own address space, as a real
 * VM has) whose ranks are worker threads sharing memory. It prepares the
 * transports' shared state, starts the rank threads, forwards their output as
 * whole lines, and reports each rank's outcome to the launcher over the IPC
 * channel. If the launcher goes away, the VM ends too: no orphans.
 */
import { Worker } from "node:worker_threads";
import type { Readable } from "node:stream";
import { type KvsAnswer, type KvsRequest, RelayKeyValueStore } from "../kvs.ts";
import { loadTransportModule } from "../transport-registry.ts";
import { LineSplitter } from "../../launcher/lines.ts";
import type { PlacementTable } from "./placement-table.ts";
import type { RankMessage, RankWorkerData } from "./rank-worker.ts";

export interface VmStart {
  type: "start";
  vm: string;
  ranks: number[];
  size: number;
  program: string;
  args: string[];
  tagOutput: boolean;
  placement: PlacementTable;
  settings: Record<string, string>;
  spinMicroseconds: number;
}

/** VM process → launcher. */
export type VmReport =
  | KvsRequest
  | { type: "ready" }
  | { type: "rank"; rank: number; message: RankMessage }
  | { type: "rank-exit"; rank: number; code: number }
  | { type: "output"; stream: "stdout" | "stderr"; line: string };

function send(r: VmReport): void {
  process.send?.(r);
}

const workers: Worker[] = [];
const threadEntry = new URL("./thread-entry.js", import.meta.url);

process.on("disconnect", () => {
  // The launcher is gone: end at once, threads and all.
  process.exit(1);
});

/** Lookups made by this process's own transports, and ones relayed for its rank threads. */
const kvs = new RelayKeyValueStore((m) => send(m));
const relayed = new Map<number, { worker: Worker; id: number }>();
let nextRelayId = 1 << 30;

process.on("message", (m: VmStart | { type: "finish" } | KvsAnswer) => {
  if (m.type === "kvs-value") {
    const r = relayed.get(m.id);
    if (r) {
      relayed.delete(m.id);
      r.worker.postMessage({ type: "kvs-value", id: r.id, value: m.value } satisfies KvsAnswer);
    } else kvs.answer(m);
  } else if (m.type === "start")
    void start(m).catch((e) => {
      process.stderr.write(`tsmpi: VM ${process.pid} failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
  else if (m.type === "finish") finish();
});

let openStreams = 0;
let finishing = false;

/** Every rank is done: let the threads' last output drain, then exit. */
function finish(): void {
  finishing = true;
  // A rank whose program left a timer or socket open would keep its thread alive.
  setTimeout(() => {
    for (const w of workers) void w.terminate();
    exitWhenFlushed();
  }, 2000).unref();
  if (openStreams === 0) exitWhenFlushed();
}

function exitWhenFlushed(): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(0)));
}

function forward(stream: Readable, to: "stdout" | "stderr", rank: number, tag: boolean): void {
  const lines = new LineSplitter((line) => {
    const text = tag ? `[${rank}] ${line}` : line;
    (to === "stdout" ? process.stdout : process.stderr).write(`${text}\n`);
  });
  openStreams++;
  stream.on("data", (chunk: Buffer) => lines.push(chunk));
  stream.on("end", () => {
    lines.end();
    if (--openStreams === 0 && finishing) exitWhenFlushed();
  });
}

async function start(m: VmStart): Promise<void> {
  const transportOptions: Record<string, unknown> = {};
  const names = new Set<string>();
  for (const r of m.ranks) for (let p = 0; p < m.size; p++) if (p !== r) names.add(m.placement.transports[m.placement.pairs[r * m.size + p]!]!);
  for (const name of names) {
    const mod = await loadTransportModule(name);
    if (mod.prepareProcess) Object.assign(transportOptions, await mod.prepareProcess({ vm: m.vm, ranks: m.ranks, size: m.size, settings: m.settings, kvs }));
  }
  const entry = new URL("./rank-worker.ts", import.meta.url);
  for (const rank of m.ranks) {
    const data: RankWorkerData = {
      rank,
      size: m.size,
      program: m.program,
      args: m.args,
      placement: m.placement,
      transportOptions,
      spinMicroseconds: m.spinMicroseconds,
      settings: m.settings,
    };
    const w = new Worker(threadEntry, { workerData: { ...data, entry: entry.href }, stdout: true, stderr: true, name: `rank ${rank}` });
    workers.push(w);
    forward(w.stdout, "stdout", rank, m.tagOutput);
    forward(w.stderr, "stderr", rank, m.tagOutput);
    w.on("message", (message: RankMessage) => {
      if (message.type === "kvs-put") send(message);
      else if (message.type === "kvs-get") {
        const id = nextRelayId++;
        relayed.set(id, { worker: w, id: message.id });
        send({ type: "kvs-get", id, key: message.key });
      } else send({ type: "rank", rank, message });
    });
    w.on("error", (e) => send({ type: "rank", rank, message: { type: "failed", error: e instanceof Error ? (e.stack ?? e.message) : String(e) } }));
    w.on("exit", (code) => send({ type: "rank-exit", rank, code }));
  }
  send({ type: "ready" });
}
