/**
 * Two NIC engines of a two-rank job in one thread, no sockets, each rank's
 * QP connected to the other as the transport connects them (the peer's tag,
 * and a made-up address: 127.0.0.1, port 1000 + the peer's rank). Frames
 * each engine sends collect in its `out`; whoever drives the pair carries
 * them across with `receive(frame, 1000 + sender, "127.0.0.1")`. For the
 * engine's tests and the NIC rate benchmark.
 */
import { NicCounters } from "./counters.ts";
import { createNic, type QpKeys } from "./nic.ts";
import { NicEngine } from "./nic-engine.ts";
import { HostQueues } from "./verbs.ts";

export interface EngineSide {
  nic: NicEngine;
  host: HostQueues;
  /** This rank's keys for its QP to the other rank. */
  keys: QpKeys;
  out: Uint8Array[];
  counters: NicCounters;
}

/** The port a rank's engine "sends from" in a pair. */
export function pairPort(rank: number): number {
  return 1000 + rank;
}

export function enginePair(settings: Record<string, string>): [EngineSide, EngineSide] {
  const setups = [createNic([0], 2, settings), createNic([1], 2, settings)];
  const side = (rank: number): EngineSide => {
    const setup = setups[rank]!;
    const out: Uint8Array[] = [];
    const nic = new NicEngine(setup.shared, (f) => out.push(f));
    const host = new HostQueues(setup.shared, rank);
    const [high, low] = setups[1 - rank]!.keys[0]![rank]!.tag;
    host.connect(1 - rank, 0x7f000001, pairPort(1 - rank), high, low);
    return { nic, host, keys: setup.keys[0]![1 - rank]!, out, counters: new NicCounters(setup.shared.counters) };
  };
  return [side(0), side(1)];
}
