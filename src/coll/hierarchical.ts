/**
 * Placement-aware collectives. A communicator's node-local sub-communicator
 * groups the members that share a VM (ordered by rank); its leader
 * sub-communicator holds the lowest rank of each VM. Hierarchical algorithms
 * work inside each VM first (shared memory), then across VMs among leaders
 * only, so the slow inter-VM path carries one message per VM instead of one
 * per rank. Inside a VM the stages use the shared-memory collectives
 * (src/coll/shared) when the node communicator has a bank, else trees.
 */
import type { Channel } from "./channel.ts";
import * as barrierAlg from "./barrier.ts";
import * as bcastAlg from "./bcast.ts";
import type { Op } from "./op.ts";
import { binomial, opMerge, recursiveDoubling } from "./reduce.ts";
import { vmKey } from "./select.ts";
import * as shared from "./shared/collectives.ts";

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
    node: comm.derive(id, nodeMembers, true),
    leaders: lead ? comm.derive(id + 2, leaderMembers, true) : null,
    userNode: comm.derive(id + 4, nodeMembers),
    userLeaders: lead ? comm.derive(id + 6, leaderMembers) : null,
    leaderIndex,
    localIndex,
  };
  ready.set(comm, h);
  return h;
}

/**
 * Fan in inside each VM, a barrier among leaders, fan out inside each VM.
 * Both stages inside the VM take their turn on the node communicator now,
 * with the tags (program order: shared-memory collectives run in the order
 * every member reserved them); the fan-out's root waits for the leaders.
 */
export async function barrier(comm: Channel, sig: number): Promise<void> {
  const h = ready.get(comm) ?? (await hierarchy(comm));
  const [t1, t2, t3] = tags(h, sig);
  const leaders = settle<undefined>();
  const gather = shared.settle(() => shared.barrier(h.node, t1, () => barrierAlg.fanIn(h.node, t1)));
  const release = handled(shared.settle(() => shared.bcast(h.node, leaders.value, 0, t3, () => leaders.value.then(() => barrierAlg.fanOut(h.node, t3)))));
  try {
    await gather;
    if (h.leaders) await barrierAlg.dissemination(h.leaders, t2);
  } finally {
    leaders.give(undefined);
  }
  await release;
}

/**
 * A later stage, awaited only if the earlier ones succeed: when one of them
 * fails (a mismatch breaks the communicator), this one may reject with the
 * same error, which is then no second, unhandled failure of the rank.
 */
function handled<T>(stage: Promise<T>): Promise<T> {
  stage.catch(() => {});
  return stage;
}

/** A value to be given later (stages across VMs feed the stages inside them). */
function settle<T>(): { value: Promise<T>; give: (v: T) => void } {
  let give!: (v: T) => void;
  const value = new Promise<T>((resolve) => (give = resolve));
  return { value, give };
}

/**
 * The three stages' tags (node, leaders, node), taken together, signed with
 * the whole call's signature `sig` (check.ts): stages of mismatched calls
 * never take each other's messages, and the guard (guard.ts) sees it.
 */
function tags(h: Hierarchy, sig: number): [number, number, number] {
  return [h.node.nextCollectiveTag(undefined, sig), h.leaders ? h.leaders.nextCollectiveTag(undefined, sig) : -1, h.node.nextCollectiveTag(undefined, sig)];
}

/** Within the root's VM, then among leaders, then within every other VM. */
export async function bcast<T>(comm: Channel, data: T | undefined, root: number, splitAbove: number, sig: number): Promise<T> {
  const h = ready.get(comm) ?? (await hierarchy(comm));
  const [t1, t2, t3] = tags(h, sig);
  const sameVm = h.leaderIndex[root] === h.leaderIndex[comm.rank];
  // The node stages fall back to the tree for any size: the tree's root alone decides whether to split.
  const inVm = (v: T | undefined | Promise<T | undefined>, localRoot: number, tag: number): Promise<T | undefined> =>
    shared.settle(() => shared.bcast(h.node, v, localRoot, tag, () => Promise.resolve(v).then((x) => bcastAlg.tree(h.node, x, localRoot, tag, splitAbove))));
  const across = settle<T | undefined>();
  // Both turns inside the VM are taken now (program order); see barrier.
  const first = sameVm ? inVm(data, h.localIndex[root]!, t1) : undefined;
  const last = sameVm ? undefined : handled(inVm(across.value, 0, t3));
  let value = data;
  try {
    if (first) value = await first;
    if (h.leaders) value = await bcastAlg.tree(h.leaders, value, h.leaderIndex[root]!, t2, splitAbove);
  } finally {
    across.give(value);
  }
  if (last) value = await last;
  return value as T;
}

/** Reduce inside each VM, allreduce among leaders, broadcast inside each VM. Commutative ops only. */
export async function allreduce(comm: Channel, value: unknown, op: Op, sig: number): Promise<unknown> {
  const h = ready.get(comm) ?? (await hierarchy(comm));
  const [t1, t2, t3] = tags(h, sig);
  const merge = opMerge(op);
  const total = settle<unknown>();
  // Both turns inside the VM are taken now (program order); see barrier.
  const reduced = shared.settle(() => shared.reduce(h.node, value, op, 0, t1, () => binomial(h.node, value, 0, true, merge, t1)));
  const spread = handled(shared.settle(() => shared.bcast(h.node, total.value, 0, t3, () => total.value.then((acc) => bcastAlg.tree(h.node, acc, 0, t3, Number.POSITIVE_INFINITY)))));
  let acc: unknown;
  try {
    acc = await reduced;
    if (h.leaders) acc = await recursiveDoubling(h.leaders, acc, merge, t2);
  } finally {
    total.give(acc);
  }
  return spread;
}
