/**
 * Placement-aware collectives. A communicator's node-local sub-communicator
 * groups the members that share a VM (ordered by rank); its leader
 * sub-communicator holds the lowest rank of each VM. Hierarchical algorithms
 * work inside each VM first (shared memory), then across VMs among leaders
 * only, so the slow inter-VM path carries one message per VM instead of one
 * per rank.
 */
import type { Comm } from "../api/comm.ts";
import { UNDEFINED } from "../api/constants.ts";
import * as barrierAlg from "./barrier.ts";
import * as bcastAlg from "./bcast.ts";
import { binomial, type Merge, recursiveDoubling } from "./reduce.ts";
import { vmKey } from "./select.ts";

export interface Hierarchy {
  /** Members on this rank's VM. */
  node: Comm;
  /** One member per VM (the lowest rank); null on the others. */
  leaders: Comm | null;
  /** For each rank of the parent: the leader-communicator rank of its VM, and its rank inside its VM. */
  leaderIndex: Int32Array;
  localIndex: Int32Array;
}

const built = new WeakMap<Comm, Promise<Hierarchy>>();

/** Build (once, collectively) the node-local and leader sub-communicators. */
export function hierarchy(comm: Comm): Promise<Hierarchy> {
  let h = built.get(comm);
  if (!h) {
    h = build(comm);
    built.set(comm, h);
  }
  return h;
}

async function build(comm: Comm): Promise<Hierarchy> {
  const n = comm.size;
  const firstOf = new Map<string, number>();
  const color = new Int32Array(n);
  const localIndex = new Int32Array(n);
  const counts = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    const k = vmKey(comm, r);
    if (!firstOf.has(k)) firstOf.set(k, r);
    color[r] = firstOf.get(k)!;
    localIndex[r] = counts.get(k) ?? 0;
    counts.set(k, localIndex[r]! + 1);
  }
  const leaderRanks = [...firstOf.values()].sort((a, b) => a - b);
  const leaderIndex = Int32Array.from({ length: n }, (_, r) => leaderRanks.indexOf(color[r]!));
  const node = (await comm.split(color[comm.rank]!, comm.rank))!;
  const isLeader = color[comm.rank] === comm.rank;
  const leaders = await comm.split(isLeader ? 0 : UNDEFINED, comm.rank);
  return { node, leaders, leaderIndex, localIndex };
}

export async function barrier(comm: Comm): Promise<void> {
  const h = await hierarchy(comm);
  await barrierAlg.fanIn(h.node, h.node.nextCollectiveTag());
  if (h.leaders) await barrierAlg.dissemination(h.leaders, h.leaders.nextCollectiveTag());
  await barrierAlg.fanOut(h.node, h.node.nextCollectiveTag());
}

/** Within the root's VM, then among leaders, then within every other VM. */
export async function bcast<T>(comm: Comm, data: T | undefined, root: number, splitAbove: number): Promise<T> {
  const h = await hierarchy(comm);
  const sameVm = h.leaderIndex[root] === h.leaderIndex[comm.rank];
  let value = data;
  if (sameVm) value = await bcastAlg.tree(h.node, value, h.localIndex[root]!, h.node.nextCollectiveTag(), splitAbove);
  if (h.leaders) value = await bcastAlg.tree(h.leaders, value, h.leaderIndex[root]!, h.leaders.nextCollectiveTag(), splitAbove);
  if (!sameVm) value = await bcastAlg.tree(h.node, value, 0, h.node.nextCollectiveTag(), splitAbove);
  return value as T;
}

/** Reduce inside each VM, allreduce among leaders, broadcast inside each VM. Commutative ops only. */
export async function allreduce(comm: Comm, value: unknown, merge: Merge): Promise<unknown> {
  const h = await hierarchy(comm);
  let acc = await binomial(h.node, value, 0, true, merge, h.node.nextCollectiveTag());
  if (h.leaders) acc = await recursiveDoubling(h.leaders, acc, merge, h.leaders.nextCollectiveTag());
  return bcastAlg.tree(h.node, acc, 0, h.node.nextCollectiveTag(), Number.POSITIVE_INFINITY);
}
