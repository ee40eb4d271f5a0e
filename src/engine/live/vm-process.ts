/**
 * A VM of the live engine: one OS process (its own address space, as a real
 * VM has) whose ranks are worker threads sharing memory. It prepares the
 * transports' shared state, starts the rank threads, and reaches the
 * launcher's control plane over WebSocket (control-client.ts) to look up
 * addresses, report each rank's outcome and forward its output as whole
 * lines. The launcher's IPC channel carries only "start" and "finish"; if
 * the launcher goes away (IPC or control plane), the VM ends too: no orphans.
 */
import { serialize } from "node:v8";
import { Worker } from "node:worker_threads";
import type { Readable } from "node:stream";
import { RelayKeyValueStore } from "../../control/kvs.ts";
import { loadTransportModule, registerTable } from "../../transport/registry.ts";
import { LineSplitter } from "../../control/lines.ts";
import type { ControlMessage, VmCommand, VmStart } from "../../control/protocol.ts";
import { ControlClient } from "../../bootstrap/from-launcher.ts";
import type { RankMessage, RankWorkerData } from "./rank-worker.ts";

const workers: Worker[] = [];
const threadEntry = new URL("./thread-entry.js", import.meta.url);
let control: ControlClient | undefined;

process.on("disconnect", () => {
  // The launcher is gone: end at once, threads and all.
  process.exit(1);
});

function send(m: ControlMessage): void {
  control!.send(m);
}

/** Lookups made by this process's own transports, and ones relayed for its rank threads. */
const kvs = new RelayKeyValueStore((m) => send(m));
const relayed = new Map<number, { worker: Worker; id: number }>();
let nextRelayId = 1 << 30;

process.on("message", (m: VmCommand) => {
  if (m.type === "start")
    void start(m).catch((e) => {
      process.stderr.write(`tsmpi: VM ${m.vm} (process ${process.pid}) failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
  else if (m.type === "finish") finish();
});

/** Rank output streams still open; the VM exits once all have ended. */
let running = 0;
let finishing = false;

/** Every rank is done: tell the threads to close their transports, let output drain, then exit. */
function finish(): void {
  finishing = true;
  for (const w of workers) w.postMessage({ type: "finish" });
  // A rank whose program left a timer or socket open would keep its thread alive.
  setTimeout(() => {
    for (const w of workers) void w.terminate();
  }, 2000).unref();
  if (running === 0) void exitWhenFlushed();
}

let exiting = false;

async function exitWhenFlushed(): Promise<void> {
  if (exiting) return;
  exiting = true;
  await control?.close();
  process.stdout.write("", () => process.stderr.write("", () => process.exit(0)));
}

function forward(stream: Readable, to: "stdout" | "stderr", rank: number, tag: boolean): void {
  const lines = new LineSplitter((line) => send({ type: "output", stream: to, line: tag ? `[${rank}] ${line}` : line }));
  running++;
  stream.on("data", (chunk: Buffer) => lines.push(chunk));
  stream.on("end", () => {
    lines.end();
    if (--running === 0 && finishing) void exitWhenFlushed();
  });
}

function report(rank: number, message: RankMessage): void {
  // Structured-clone bytes: the value main returned already crossed a thread boundary this way.
  send({ type: "rank", rank, message: serialize(message) });
}

async function start(m: VmStart): Promise<void> {
  control = new ControlClient(
    m.control.url,
    m.control.secret,
    m.vm,
    (a) => {
      const r = relayed.get(a.id);
      if (r) {
        relayed.delete(a.id);
        r.worker.postMessage({ type: "kvs-value", id: r.id, value: a.value });
      } else kvs.answer(a);
    },
    () => {
      if (!finishing) process.exit(1);
    },
  );
  await control.whenReady();
  registerTable(m.transports);
  const transportOptions: Record<string, unknown> = { ...m.jobOptions };
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
      transports: m.transports,
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
      } else report(rank, message);
    });
    w.on("error", (e) => report(rank, { type: "failed", error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
    w.on("exit", (code) => send({ type: "rank-exit", rank, code }));
  }
}
