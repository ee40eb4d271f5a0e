/**
 * The software cost of one small shm message, with no second core in the
 * way: two ranks in one thread, joined by real shm rings, so every message
 * goes the whole eager route (point-to-point.ts → sender → ring → receiver →
 * matching → the awaiting caller) and the figure is CPU time per message, not
 * cache-line transfers or scheduling. Run it before and after a change to the
 * eager path; on a busy machine the best of many short blocks is still steady.
 *
 *   node --import tsx bench/micro/eager.ts [--rounds 2048] [--repeats 200] [--phases]
 */
import { pathToFileURL } from "node:url";
import { Comm } from "../../src/api/comm.ts";
import { MemoryKeyValueStore } from "../../src/control/kvs.ts";
import { RankCore } from "../../src/core/rank-core.ts";
import { waitall } from "../../src/core/request.ts";
import { ResolvedPlacement } from "../../src/placement/resolved.ts";
import openShm, { prepareProcess } from "../../transports/shm/index.ts";
import { numberOption, scriptCli } from "../lib/cli.ts";

/** Two communicators of one world, one per rank, over one shm segment. */
export async function shmPair(): Promise<[Comm, Comm]> {
  const kvs = new MemoryKeyValueStore();
  const options = prepareProcess({ vm: "vm0", ranks: [0, 1], size: 2, settings: {}, bind: "127.0.0.1", kvs });
  const services = {
    placement: ResolvedPlacement.singleVm(2, "shm"),
    settings: {},
    abort: (): never => {
      throw new Error("abort");
    },
  };
  const comms: Comm[] = [];
  for (const rank of [0, 1]) {
    let core: RankCore | undefined;
    const t = await openShm({
      rank,
      size: 2,
      peers: [1 - rank],
      deliver: (s, f, at, n) => core!.deliver(s, f, at, n),
      onPeerLost: () => {},
      onWritable: () => core?.writable(),
      options,
      settings: {},
      kvs,
    });
    core = new RankCore({ rank, size: 2, transports: rank === 0 ? [undefined, t] : [t, undefined], spinMicroseconds: 20 });
    comms.push(new Comm(core, 0, Int32Array.of(0, 1), services));
  }
  return comms as [Comm, Comm];
}

/** `rounds` round trips of 8 B: a → b, b → a, each a blocking send then a blocking recvInto. */
async function pingPong(a: Comm, b: Comm, rounds: number): Promise<void> {
  const buf = new Uint8Array(8);
  for (let i = 0; i < rounds; i++) {
    await a.send(buf, 1, 1);
    await b.recvInto(buf, 0, 1);
    await b.send(buf, 0, 1);
    await a.recvInto(buf, 1, 1);
  }
}

/** `windows` osu_bw windows of 64 8-byte messages, receives posted first, then a 4-byte acknowledgement. */
async function windowed(a: Comm, b: Comm, windows: number): Promise<void> {
  const buf = new Uint8Array(8);
  const into = new Uint8Array(8);
  const ack = new Uint8Array(4);
  const recvs = new Array(64);
  const sends = new Array(64);
  for (let w = 0; w < windows; w++) {
    for (let i = 0; i < 64; i++) recvs[i] = b.irecvInto(into, 0, 1);
    for (let i = 0; i < 64; i++) sends[i] = a.isend(buf, 1, 1);
    await waitall(sends);
    await waitall(recvs);
    await b.send(ack, 0, 2);
    await a.recvInto(ack, 1, 2);
  }
}

/** What a window's time is spent on, per message (see phases). */
const PHASES = ["post 64 irecvInto", "64 isend", "waitall sends", "poll (deliver 64)", "waitall receives", "acknowledgement"] as const;

/**
 * One window as `windowed` runs it, with the time of each phase added to
 * `into` (ms), so a change can be placed on the send side or the receive side.
 */
async function phasedWindow(a: Comm, b: Comm, into: number[], buf: Uint8Array, recvBuf: Uint8Array, recvs: unknown[], sends: unknown[]): Promise<void> {
  const ack = buf.subarray(0, 4);
  const t = [performance.now()];
  for (let i = 0; i < 64; i++) recvs[i] = b.irecvInto(recvBuf, 0, 1);
  t.push(performance.now());
  for (let i = 0; i < 64; i++) sends[i] = a.isend(buf, 1, 1);
  t.push(performance.now());
  await waitall(sends as PromiseLike<unknown>[]);
  t.push(performance.now());
  b.core.pollOnce();
  t.push(performance.now());
  await waitall(recvs as PromiseLike<unknown>[]);
  t.push(performance.now());
  await b.send(ack, 0, 2);
  await a.recvInto(ack, 1, 2);
  t.push(performance.now());
  for (let k = 0; k < PHASES.length; k++) into[k]! += t[k + 1]! - t[k]!;
}

/** Each phase's best over `repeats` blocks of 16 windows, ns per message. */
async function phases(a: Comm, b: Comm, repeats: number): Promise<number[]> {
  const buf = new Uint8Array(8);
  const recvBuf = new Uint8Array(8);
  const recvs = new Array(64);
  const sends = new Array(64);
  const best = new Array<number>(PHASES.length).fill(Number.POSITIVE_INFINITY);
  for (let r = -repeats; r < repeats; r++) {
    const sums = new Array<number>(PHASES.length).fill(0);
    for (let w = 0; w < 16; w++) await phasedWindow(a, b, sums, buf, recvBuf, recvs, sends);
    // The first half warms up.
    if (r >= 0) for (let k = 0; k < PHASES.length; k++) best[k] = Math.min(best[k]!, (sums[k]! * 1e6) / (16 * 64));
  }
  return best;
}

/**
 * Nanoseconds per message, the best of `repeats` short blocks: on a shared
 * machine a block the scheduler preempted is slow, and the best block is the
 * one it left alone.
 */
async function best(repeats: number, messages: number, run: () => Promise<void>): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await run();
    min = Math.min(min, ((performance.now() - t0) * 1e6) / messages);
  }
  return min;
}

async function main(): Promise<void> {
  const usage = "node --import tsx bench/micro/eager.ts [--rounds 2048] [--repeats 200] [--phases]";
  const { values: v } = scriptCli(usage, { rounds: { type: "string" }, repeats: { type: "string" }, phases: { type: "boolean" } });
  const rounds = Math.round(numberOption(v.rounds, "rounds", usage) ?? 2048);
  const repeats = Math.round(numberOption(v.repeats, "repeats", usage) ?? 200);
  const [a, b] = await shmPair();
  // Warm-up: let the JIT settle on both routes before anything is timed.
  for (let i = 0; i < 20; i++) {
    await pingPong(a, b, rounds);
    await windowed(a, b, rounds / 64);
  }
  const pp = await best(repeats, 2 * rounds, () => pingPong(a, b, rounds));
  const win = await best(repeats, (rounds / 64) * 65, () => windowed(a, b, rounds / 64));
  console.log(`blocking send + recvInto, 8 B: ${pp.toFixed(1)} ns per message`);
  console.log(`window of 64 isend / irecvInto, 8 B: ${win.toFixed(1)} ns per message`);
  if (v.phases) {
    const best = await phases(a, b, repeats);
    console.log(`  by phase (best block each, ns per message): ${PHASES.map((p, k) => `${p} ${best[k]!.toFixed(1)}`).join(" | ")}`);
  }
  a.core.close();
  b.core.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
