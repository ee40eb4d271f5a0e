/**
 * One rank of the live engine: a worker thread inside its VM's process. It
 * opens the transports the placement chose for its peers, builds the world
 * communicator, runs the program's `main`, and reports the outcome to the VM
 * process. It stays alive after `main` resolves until the launcher says the
 * whole job is done, so peers can still drain what it sent (MPI_Finalize):
 * socket transports hold the thread open; on "finish" it closes them (each
 * says goodbye, so peers know the close is not a failure) and the thread ends.
 */
import { parentPort, workerData } from "node:worker_threads";
import { MpiError } from "../../errors.ts";
import { describeError, loadProgram, type RankResult } from "../program.ts";
import { type KvsAnswer, type KvsRequest, RelayKeyValueStore } from "../../control/kvs.ts";
import { bindThread } from "../../transport/affinity.ts";
import { loadTransport, registerTable, type TransportTable } from "../../transport/registry.ts";
import { type PlacementTable, ResolvedPlacement } from "../../placement/resolved.ts";
import { leftoverError, type OpenedRank, openRank, sentRow, transportStats } from "../rank.ts";
import type { Pulse } from "../../control/protocol.ts";
import { startPulse } from "./pulse.ts";
import { writeInto } from "./output-ring.ts";
import { LiveTraceRecorder, type RankTrace } from "../../trace/live.ts";
import { traceSetting } from "../../trace/settings.ts";

/** What a rank thread is told once the job's plan is known (the rest of RankWorkerData comes with the thread). */
export type RankPlan = Omit<RankWorkerData, "rank" | "outputRings">;

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
  /** The transports the launcher registered, to register here. */
  transports: TransportTable;
  /** Count what this rank sends (`tsmpi profile`). */
  profile?: boolean;
  /** Where this thread's stdout and stderr go: bounded rings the VM drains (output-ring.ts). */
  outputRings?: { stdout: SharedArrayBuffer; stderr: SharedArrayBuffer };
}

export type RankMessage =
  /** Its transports are open: it publishes no more addresses (a foreign launcher's rendezvous waits for this). */
  | { type: "opened" }
  | { type: "done"; value: unknown; stats?: Record<string, Record<string, number>>; sent?: RankResult["sent"]; trace?: RankTrace }
  | { type: "failed"; error: string; code?: string }
  | { type: "abort"; code: number }
  | { type: "pulse"; pulse: Pulse }
  | KvsRequest;

const port = parentPort!;
const born = workerData as Pick<RankWorkerData, "rank" | "outputRings">;
if (born.outputRings) {
  writeInto(process.stdout, born.outputRings.stdout);
  writeInto(process.stderr, born.outputRings.stderr);
}
// The thread was started before the job's plan was known (rank-threads.ts): its modules are loaded by now.
const data: RankWorkerData = await new Promise((resolve) =>
  port.once("message", (m: { type: "plan"; plan: RankPlan }) => resolve({ ...m.plan, rank: born.rank, outputRings: born.outputRings })),
);
// The port must not keep the thread alive once main is done; a pending
// address lookup does.
port.unref();
const kvs = new RelayKeyValueStore(
  (m) => port.postMessage(m),
  (waiting) => (waiting ? port.ref() : port.unref()),
);
let running: OpenedRank | undefined;
port.on("message", (m: KvsAnswer | { type: "finish" }) => {
  if (m.type === "kvs-value") kvs.answer(m);
  else if (m.type === "finish") {
    // Every rank's main returned: a collective message still unreceived means ranks called different collectives.
    void settledLeftover(running).then((left) => {
      if (left) port.postMessage({ type: "failed", error: leftoverError(data.rank, left).message, code: "ERR_COLL_MISMATCH" } satisfies RankMessage);
      return Promise.allSettled([...(running?.transports.values() ?? [])].map((t) => t.close()));
    }).then(() => {
      running?.core.close();
      port.close();
    });
  }
});

/** Frames arriving within this long of each other are still on their way; past SETTLE_MAX_MS the check runs anyway. */
const SETTLE_MS = 2;
const SETTLE_MAX_MS = 200;

/**
 * The collective messages left unreceived once the frames peers sent before
 * their main returned have landed: a frame may still be in a socket or on an
 * emulated link when "finish" comes (a mismatch whose messages all went to
 * ranks already done was missed so). Waits until no frame has arrived for
 * two looks SETTLE_MS apart.
 */
async function settledLeftover(opened: OpenedRank | undefined): Promise<string | undefined> {
  if (!opened) return undefined;
  const core = opened.core;
  const until = performance.now() + SETTLE_MAX_MS;
  let seen = core.activity;
  for (let quiet = 0; quiet < 2 && performance.now() < until; ) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    core.pollOnce();
    quiet = core.activity === seen ? quiet + 1 : 0;
    seen = core.activity;
  }
  return core.collectiveLeftover();
}

function post(m: RankMessage): void {
  try {
    port.postMessage(m);
  } catch {
    // The value main returned cannot cross threads: report completion without it.
    port.postMessage({ type: "done", value: undefined, ...(m.type === "done" ? { stats: m.stats, sent: m.sent, trace: m.trace } : {}) } satisfies RankMessage);
  }
}

async function run(): Promise<void> {
  registerTable(data.transports);
  const placement = new ResolvedPlacement(data.placement);
  const { rank } = data;
  // The program's modules load while the transports open; its errors are reported after.
  const program = loadProgram(data.program);
  program.catch(() => {});
  const opened = await openRank({
    rank,
    size: data.size,
    transportTo: (peer) => placement.transportBetween(rank, peer),
    load: loadTransport,
    options: data.transportOptions,
    settings: data.settings,
    kvs,
    spinMicroseconds: data.spinMicroseconds,
    profile: data.profile,
    services: {
      placement,
      settings: data.settings,
      abort(code: number, r: number): never {
        post({ type: "abort", code });
        const e = new MpiError("ERR_ABORTED", `rank ${r} called abort(${code})`);
        opened.core.failAll(e);
        throw e;
      },
    },
  });
  running = opened;
  // --trace: every message this rank sends and receives, for the launcher to join into one trace.
  const recorder = traceSetting.given(data.settings) ? new LiveTraceRecorder() : undefined;
  if (recorder) opened.core.observe(recorder);
  const bound = bindThread(data.settings, data.rank, `rank ${data.rank} (${data.placement.vms[data.rank]} on ${data.placement.hosts[data.rank]})`);
  if (bound) console.error(bound);
  post({ type: "opened" });
  const stopPulse = startPulse(opened.core, (pulse) => port.postMessage({ type: "pulse", pulse } satisfies RankMessage));
  try {
    const main = await program;
    const value = await main(opened.world, data.args);
    post({ type: "done", value, stats: transportStats(opened.transports), sent: sentRow(opened.sent), trace: recorder?.take() });
  } finally {
    stopPulse();
  }
}

run().catch((e: unknown) => {
  if (e instanceof MpiError && e.code === "ERR_ABORTED") return;
  port.postMessage({ type: "failed", ...describeError(e) } satisfies RankMessage);
});
