/**
 * Reduction schedules over whole values: binomial reduce, linear reduce and
 * recursive-doubling allreduce. Each takes a `merge(acc, other, otherIsLower)`
 * so the same schedule reduces user values (through the op, with error
 * markers) or value signatures. Rank order is kept for non-commutative ops:
 * every partial result covers a contiguous run of ranks and `otherIsLower`
 * says on which side the incoming one lies.
 */
import type { Channel } from "./channel.ts";
import type { Op } from "./op.ts";
import { all, exchange, exchangeWithAll } from "./exchange.ts";
import type { Scratch } from "./scratch.ts";
import { childrenOf, foldedRank, parentOf, powerOfTwoBelow, unfoldedRank } from "./tree.ts";
import { combine, ownCopy } from "./values.ts";

export type Merge = (acc: unknown, other: unknown, otherIsLower: boolean) => unknown;

/** The merge of an op (one per op, made once: collectives on small values run it on every call). */
export function opMerge(op: Op): Merge {
  let m = merges.get(op);
  if (!m) merges.set(op, (m = (acc, other, lower) => combine(op, acc, other, lower)));
  return m;
}

const merges = new WeakMap<Op, Merge>();

/**
 * Binomial reduce to `root`. With a non-commutative op the tree is rooted at
 * rank 0 (subtrees are then runs of consecutive ranks) and rank 0 forwards the
 * result to `root`.
 */
export async function binomial(comm: Channel, value: unknown, root: number, commutative: boolean, merge: Merge, tag: number): Promise<unknown> {
  const n = comm.size;
  const top = commutative ? root : 0;
  const rel = (comm.rank - top + n) % n;
  const children = childrenOf(rel, n).reverse(); // smallest subtree (nearest ranks) first
  let acc = value;
  if (children.length > 0) {
    const got = await all(children.map((c) => comm.collIrecv((c + top) % n, tag)));
    acc = ownCopy(value);
    for (const g of got) acc = merge(acc, g, false);
  }
  if (rel !== 0) {
    await comm.collIsend(acc, (parentOf(rel) + top) % n, tag);
    acc = undefined;
  }
  if (top !== root) {
    if (comm.rank === top) await comm.collIsend(acc, root, tag);
    else if (comm.rank === root) acc = await comm.collIrecv(top, tag);
  }
  return comm.rank === root ? acc : undefined;
}

/** Every rank sends to the root, which folds in rank order: one step for the senders. */
export async function linear(comm: Channel, value: unknown, root: number, merge: Merge, tag: number): Promise<unknown> {
  if (comm.rank !== root) {
    await comm.collIsend(value, root, tag);
    return undefined;
  }
  const got = await all(Array.from({ length: comm.size }, (_, r) => (r === root ? Promise.resolve(value) : comm.collIrecv(r, tag))));
  let acc = ownCopy(got[0]);
  for (let r = 1; r < got.length; r++) acc = merge(acc, got[r], false);
  return acc;
}

/**
 * Recursive doubling (Thakur, Rabenseifner, Gropp 2005) with the
 * non-power-of-two fold: the first 2·rem ranks pair up, the even one hands its
 * value to the odd one and waits for the result. log2 n rounds of whole values.
 */
export async function recursiveDoubling(comm: Channel, value: unknown, merge: Merge, tag: number, options: InPlace = {}): Promise<unknown> {
  const n = comm.size;
  const rank = comm.rank;
  if (n === 1) return value;
  const p = powerOfTwoBelow(n);
  const rem = n - p;
  let acc = options.inPlace ? value : ownCopy(value);
  const scratch = options.scratch;
  const newrank = foldedRank(rank, rem);
  if (rank < 2 * rem) {
    if (newrank < 0) await comm.collIsend(acc, rank + 1, tag);
    else acc = merge(acc, await comm.collIrecv(rank - 1, tag), true);
  }
  if (newrank >= 0) {
    for (let mask = 1; mask < p; mask <<= 1) {
      const dst = unfoldedRank(newrank ^ mask, rem);
      const other = await exchange(comm, acc, dst, dst, tag, scratch);
      acc = merge(acc, other, dst < rank);
      scratch?.release(other);
    }
  }
  if (rank < 2 * rem) {
    if (rank % 2 === 1) await comm.collIsend(acc, rank - 1, tag);
    else acc = await comm.collIrecv(rank + 1, tag);
  }
  return acc;
}

/** How recursive doubling may treat memory (typed arrays under built-in ops only: they reduce in place into `acc`). */
export interface InPlace {
  /** Reduce into the caller's value itself rather than a copy. */
  inPlace?: boolean;
  /** Receive partners' halves into this reused buffer. */
  scratch?: Scratch;
}

/**
 * Every rank sends its value to every other and folds all n in rank order:
 * one step of dependency instead of log2 n. With more ranks than cores a
 * step costs a scheduling round (tens of µs), so for small values on few
 * ranks this beats recursive doubling despite n-1 messages per rank.
 */
export async function linearAll(comm: Channel, value: unknown, merge: Merge, tag: number, scratch?: Scratch): Promise<unknown> {
  const got = await exchangeWithAll(comm, value, () => value, tag, scratch);
  let acc = ownCopy(got[0]);
  for (let r = 1; r < comm.size; r++) acc = merge(acc, got[r], false);
  if (scratch) for (const v of got) scratch.release(v);
  return acc;
}
