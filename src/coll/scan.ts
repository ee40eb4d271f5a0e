/**
 * Inclusive and exclusive prefix reductions. Recursive doubling (log2 n
 * rounds) keeps two values: `partial`, the reduction of the block of ranks
 * seen so far, and `result`, that of the ranks at or below this one. By the
 * end `partial` covers every rank, so an error marker from any rank reaches
 * every rank.
 */
import type { Channel } from "./channel.ts";
import { exchange } from "./exchange.ts";
import type { Merge } from "./reduce.ts";
import { isErrorMarker, ownCopy } from "./values.ts";

export async function recursiveDoubling(comm: Channel, value: unknown, merge: Merge, inclusive: boolean, tag: number): Promise<unknown> {
  const n = comm.size;
  const rank = comm.rank;
  let partial = ownCopy(value);
  let result: unknown = inclusive ? ownCopy(value) : undefined;
  let have = inclusive;
  for (let mask = 1; mask < n; mask <<= 1) {
    const dst = rank ^ mask;
    if (dst >= n) continue;
    const other = await exchange(comm, partial, dst, dst, tag);
    if (dst < rank) {
      result = have ? merge(result, other, true) : ownCopy(other);
      have = true;
      partial = merge(partial, other, true);
    } else {
      partial = merge(partial, other, false);
    }
  }
  return isErrorMarker(partial) ? partial : result;
}

/** A chain: rank r waits for the prefix of ranks below it, adds its value, passes it on. n-1 steps. */
export async function linear(comm: Channel, value: unknown, merge: Merge, inclusive: boolean, tag: number): Promise<unknown> {
  const rank = comm.rank;
  let before: unknown;
  let inclusiveValue = value;
  if (rank > 0) {
    before = await comm.collIrecv(rank - 1, tag);
    inclusiveValue = merge(ownCopy(before), value, false);
  }
  if (rank < comm.size - 1) await comm.collIsend(inclusiveValue, rank + 1, tag);
  if (isErrorMarker(inclusiveValue)) return inclusiveValue;
  return inclusive ? inclusiveValue : before;
}
