/**
 * One rank of the live engine: a worker thread inside its VM's process. It
 * opens the transports the placement chose for its peers, builds the world
 * communicator, runs the program's `main`, and reports the outcome to the VM
 * process. It stays alive after `main` resolves until the launcher says the
 * whole job is done, so peers can still drain what it sent (MPI_Finalize):
 * socket transports hold the thread open; on "finish" it closes them (each
 * says goodbye, so peers know the close is not a failure) and the thread ends.
 */
import { copyBytes } from "../../core/payload.ts";
import { parentPort, workerData } from "node:worker_threads";
import { Comm } from "../../api/comm.ts";
import { MpiError } from "../../api/errors.ts";
import { RankCore } from "../../core/rank-core.ts";
import type { Transport } from "../../transport.ts";
import { describeError, loadProgram } from "../program.ts";
import { type KvsAnswer, type KvsRequest, RelayKeyValueStore } from "../kvs.ts";
import { loadTransport } from "../transport-registry.ts";
import { type PlacementTable, placementFromTable } from "./placement-table.ts";

export interface RankWorkerData {
  rank: number;
  size: number;
  program: string;
  args: string[];
  placement: PlacementTable;
  /** Per-transport options made by the VM process (prepareProcess), merged. */
  transportOptions: Record<string, unknown>;
  spinMicroseconds: number;
  settings: Record<string, string>;
}

export type RankMessage =
  | { type: "done"; value: unknown; stats?: Record<string, Record<string, number>> }
  | { type: "failed"; error: string; code?: string }
  | { type: "abort"; code: number }
  | KvsRequest;

const data = workerData as RankWorkerData;
const port = parentPort!;
// The port must not keep the thread alive once main is done; a pending
// address lookup does.
port.unref();
const kvs = new RelayKeyValueStore(
  (m) => port.postMessage(m),
  (waiting) => (waiting ? port.ref() : port.unref()),
);
const opened: Transport[] = [];
let rankCore: RankCore | undefined;
port.on("message", (m: KvsAnswer | { type: "finish" }) => {
  if (m.type === "kvs-value") kvs.answer(m);
  else if (m.type === "finish") {
    void Promise.allSettled(opened.map((t) => t.close())).then(() => {
      rankCore?.close();
      port.close();
    });
  }
});

function post(m: RankMessage): void {
  try {
    port.postMessage(m);
  } catch {
    // The value main returned cannot cross threads: report completion without it.
    port.postMessage({ type: "done", value: undefined, stats: m.type === "done" ? m.stats : undefined } satisfies RankMessage);
  }
}

async function run(): Promise<void> {
  const { rank, size } = data;
  const placement = placementFromTable(data.placement);
  let core: RankCore | undefined;
  const byName = new Map<string, Transport>();
  const transports: (Transport | undefined)[] = new Array(size).fill(undefined);
  const early: { source: number; frame: Uint8Array }[] = [];
  const lostEarly: { peer: number; why: string }[] = [];
  for (let peer = 0; peer < size; peer++) {
    if (peer === rank) continue;
    const name = placement.transportBetween(rank, peer);
    let t = byName.get(name);
    if (!t) {
      const factory = await loadTransport(name);
      const peers = [...Array(size).keys()].filter((p) => p !== rank && placement.transportBetween(rank, p) === name);
      t = await factory({
        rank,
        size,
        peers,
        // Event-style transports may deliver while later transports still open, before the core exists.
        deliver: (s, f, start = 0, length = f.byteLength - start) =>
          core ? core.deliver(s, f, start, length) : early.push({ source: s, frame: copyBytes(f.subarray(start, start + length)) }),
        onPeerLost: (p, why) => (core ? core.peerLost(p, why) : lostEarly.push({ peer: p, why })),
        onWritable: () => core?.writable(),
        options: data.transportOptions,
        settings: data.settings,
        kvs,
      });
      byName.set(name, t);
      opened.push(t);
    }
    transports[peer] = t;
  }
  core = new RankCore({ rank, size, transports, spinMicroseconds: data.spinMicroseconds });
  rankCore = core;
  for (const e of early.splice(0)) core.deliver(e.source, e.frame);
  for (const l of lostEarly.splice(0)) core.peerLost(l.peer, l.why);
  const world = new Comm(
    core,
    0,
    Int32Array.from({ length: size }, (_, i) => i),
    {
      placement,
      settings: data.settings,
      abort(code: number, r: number): never {
        post({ type: "abort", code });
        const e = new MpiError("ERR_ABORTED", `rank ${r} called abort(${code})`);
        core!.failAll(e);
        throw e;
      },
    },
  );
  const main = await loadProgram(data.program);
  const value = await main(world, data.args);
  const stats: Record<string, Record<string, number>> = {};
  for (const [name, t] of byName) if (t.stats) stats[name] = t.stats();
  post({ type: "done", value, stats });
}

run().catch((e: unknown) => {
  if (e instanceof MpiError && e.code === "ERR_ABORTED") return;
  port.postMessage({ type: "failed", ...describeError(e) } satisfies RankMessage);
});
