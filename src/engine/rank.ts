/**
 * One rank's start-up, shared by the live worker thread and the simulator:
 * open the transport the placement chose for each peer (one instance per
 * transport name), build the rank's core, and make the world communicator.
 * Frames that arrive while later transports are still opening are kept and
 * handed to the core once it exists.
 */
import { Comm, type CommServices } from "../api/comm.ts";
import { type Clock, wallClock } from "../core/clock.ts";
import { copyBytes } from "../core/payload.ts";
import { MpiError } from "../errors.ts";
import { RankCore, type SimHooks } from "../core/rank-core.ts";
import { type SentCounts, SentCounter } from "../core/observer.ts";
import type { RankResult } from "./program.ts";
import type { KeyValueStore, Transport, TransportFactory } from "../transport/contract.ts";

export interface RankStart {
  rank: number;
  size: number;
  /** Which transport serves the pair (rank, peer); every peer but the rank itself. */
  transportTo(peer: number): string;
  /** The factory of a transport by name (the registry, or the simulator's wire). */
  load(name: string): Promise<TransportFactory>;
  /** Engine-specific transport options (shared buffers, the job secret, the simulator's bus). */
  options: Readonly<Record<string, unknown>>;
  settings: Readonly<Record<string, string>>;
  kvs: KeyValueStore;
  spinMicroseconds: number;
  services: CommServices;
  clock?: Clock;
  /** The simulator's hooks (src/core/rank-core.ts SimHooks). */
  sim?: SimHooks;
  /** Count the messages and bytes this rank sends to each peer (`tsmpi profile`). */
  profile?: boolean;
}

export interface OpenedRank {
  core: RankCore;
  world: Comm;
  /** The transports opened, by name (for `--stats` and closing). */
  transports: Map<string, Transport>;
  /** What this rank sent to each peer, when profiling. */
  sent?: SentCounts;
}

export async function openRank(start: RankStart): Promise<OpenedRank> {
  const { rank, size } = start;
  let core: RankCore | undefined;
  const byName = new Map<string, Transport>();
  const perPeer: (Transport | undefined)[] = new Array(size).fill(undefined);
  const early: { source: number; frame: Uint8Array }[] = [];
  const lostEarly: { peer: number; why: string }[] = [];
  const names = Array.from({ length: size }, (_, p) => (p === rank ? "" : start.transportTo(p)));
  for (let peer = 0; peer < size; peer++) {
    if (peer === rank) continue;
    const name = names[peer]!;
    let t = byName.get(name);
    if (!t) {
      const factory = await start.load(name);
      t = await factory({
        rank,
        size,
        peers: names.flatMap((n, p) => (n === name ? [p] : [])),
        // Event-style transports may deliver while later transports still open, before the core exists.
        deliver: (s, f, at = 0, length = f.byteLength - at) =>
          core ? core.deliver(s, f, at, length) : early.push({ source: s, frame: copyBytes(f.subarray(at, at + length)) }),
        onPeerLost: (p, why) => (core ? core.peerLost(p, why) : lostEarly.push({ peer: p, why })),
        onWritable: () => core?.writable(),
        options: start.options,
        settings: start.settings,
        kvs: start.kvs,
      });
      byName.set(name, t);
    }
    perPeer[peer] = t;
  }
  core = new RankCore({ rank, size, transports: perPeer, spinMicroseconds: start.spinMicroseconds, clock: start.clock ?? wallClock, sim: start.sim });
  const counter = start.profile ? new SentCounter(size) : undefined;
  if (counter) core.observe(counter);
  const sent = counter?.counts;
  for (const e of early.splice(0)) core.deliver(e.source, e.frame);
  for (const l of lostEarly.splice(0)) core.peerLost(l.peer, l.why);
  const world = new Comm(
    core,
    0,
    Int32Array.from({ length: size }, (_, i) => i),
    start.services,
  );
  return { core, world, transports: byName, sent };
}

/** A rank's sent counts as plain arrays (to cross threads and processes, and for RankResult). */
export function sentRow(sent: SentCounts | undefined): RankResult["sent"] {
  return sent ? { messages: Array.from(sent.messages), bytes: Array.from(sent.bytes) } : undefined;
}

/** Counters of every opened transport, by name. */
export function transportStats(transports: Map<string, Transport>): Record<string, Record<string, number>> {
  const stats: Record<string, Record<string, number>> = {};
  for (const [name, t] of transports) if (t.stats) stats[name] = t.stats();
  return stats;
}

/** The failure of a job whose ranks all returned while a collective message stayed unreceived (RankCore.collectiveLeftover). */
export function leftoverError(rank: number, left: string): MpiError {
  return new MpiError("ERR_COLL_MISMATCH", `rank ${rank}: every main returned, but ${left}; every rank must call the same collectives in the same order, with the same root and op`);
}
