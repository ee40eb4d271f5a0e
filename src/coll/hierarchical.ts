/**
 * Placement-aware collectives. A communicator's node-local sub-communicator
 * groups the members that share a VM (ordered by rank); its leader
 * sub-communicator holds the lowest rank of each VM. Hierarchical algorithms
 * work inside each VM first (shared memory), then across VMs among leaders
 * only, so the slow inter-VM path carries one message per VM instead of one
 * per rank.
 */
import type { Channel } from "./channel.ts";
import * as barrierAlg from "./barrier.ts";
import * as bcastAlg from "./bcast.ts";
import { binomial, type Merge, recursiveDoubling } from "./reduce.ts";
import { vmKey } from "./select.ts";

export interface Hierarchy<C extends Channel = Channel> {
  /** Members on this rank's VM. */
  node: C;
  /** One member per VM (the lowest rank); null on the others. */
  leaders: C | null;
  /**
   * The same groups on their own contexts, for the program (`nodeComm()`,
   * `leaderComm()`): its collectives on them must not share tags with the
   * stages of hierarchical collectives still running on `comm`, whose tags are
   * taken when the hierarchy is ready, in an order the program cannot see.
   */
  userNode: C;
  userLeaders: C | null;
  /** For each rank of the parent: the leader-communicator rank of its VM, and its rank inside its VM. */
  leaderIndex: Int32Array;
  localIndex: Int32Array;
}

const built = new WeakMap<Channel, Promise<Hierarchy>>();
const ready = new WeakMap<Channel, Hierarchy>();

/** Build (once, collectively) the node-local and leader sub-communicators. */
export function hierarchy<C extends Channel>(comm: C): Promise<Hierarchy<C>> {
  let h = built.get(comm) as Promise<Hierarchy<C>> | undefined;
  if (!h) {
    h = build(comm);
    built.set(comm, h);
  }
  return h;
}

/**
 * One agreement on context ids (an allgather, its tag taken at the call)
 * gives both sub-communicators: everything else is known locally from the
 * placement, so concurrent collectives on `comm` keep their order.
 */
async function build<C extends Channel>(comm: C): Promise<Hierarchy<C>> {
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
  const id = await comm.agreeContextId(8);
  const mine = color[comm.rank]!;
  const nodeMembers = Int32Array.from(
    Array.from({ length: n }, (_, r) => r).filter((r) => color[r] === mine),
    (r) => comm.members[r]!,
  );
  const leaderMembers = Int32Array.from(leaderRanks, (r) => comm.members[r]!);
  const lead = mine === comm.rank;
  const h = {
    node: comm.derive(id, nodeMembers),
    leaders: lead ? comm.derive(id + 2, leaderMembers) : null,
    userNode: comm.derive(id + 4, nodeMembers),
    userLeaders: lead ? comm.derive(id + 6, leaderMembers) : null,
    leaderIndex,
    localIndex,
  };
  ready.set(comm, h);
  return h;
}

export async function barrier(comm: Channel): Promise<void> {
  const h = ready.get(comm) ?? (await hierarchy(comm));
  const [t1, t2, t3] = tags(h);
  await barrierAlg.fanIn(h.node, t1);
  if (h.leaders) await barrierAlg.dissemination(h.leaders, t2);
  await barrierAlg.fanOut(h.node, t3);
}

/** The three stages' tags (node, leaders, node), taken together. */
function tags(h: Hierarchy): [number, number, number] {
  return [h.node.nextCollectiveTag(), h.leaders ? h.leaders.nextCollectiveTag() : -1, h.node.nextCollectiveTag()];
}

/** Within the root's VM, then among leaders, then within every other VM. */
export async function bcast<T>(comm: Channel, data: T | undefined, root: number, splitAbove: number): Promise<T> {
  const h = ready.get(comm) ?? (await hierarchy(comm));
  const [t1, t2, t3] = tags(h);
  const sameVm = h.leaderIndex[root] === h.leaderIndex[comm.rank];
  let value = data;
  if (sameVm) value = await bcastAlg.tree(h.node, value, h.localIndex[root]!, t1, splitAbove);
  if (h.leaders) value = await bcastAlg.tree(h.leaders, value, h.leaderIndex[root]!, t2, splitAbove);
  if (!sameVm) value = await bcastAlg.tree(h.node, value, 0, t3, splitAbove);
  return value as T;
}

/** Reduce inside each VM, allreduce among leaders, broadcast inside each VM. Commutative ops only. */
export async function allreduce(comm: Channel, value: unknown, merge: Merge): Promise<unknown> {
  const h = ready.get(comm) ?? (await hierarchy(comm));
  const [t1, t2, t3] = tags(h);
  let acc = await binomial(h.node, value, 0, true, merge, t1);
  if (h.leaders) acc = await recursiveDoubling(h.leaders, acc, merge, t2);
  return bcastAlg.tree(h.node, acc, 0, t3, Number.POSITIVE_INFINITY);
}
