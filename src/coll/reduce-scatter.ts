/**
 * reduceScatter: rank i gets the reduction over ranks of every rank's
 * `values[i]`. `reduce_scatter` reduces the whole list to rank 0 on a
 * binomial tree (rank order, so any op) and scatters it: an error found
 * anywhere reaches every rank. `pairwise` posts every block to its owner at
 * once and each rank folds what it gets in rank order: one step, but an error
 * is seen only by the rank whose block has it.
 */
import type { Channel } from "./channel.ts";
import type { Op } from "./op.ts";
import { all } from "./exchange.ts";
import { binomialScatter } from "./gather.ts";
import { binomial, type Merge } from "./reduce.ts";
import { combine, isErrorMarker, ownCopy } from "./values.ts";

export async function reduceThenScatter(comm: Channel, values: unknown[] | unknown, op: Op, tag: number): Promise<unknown> {
  const merge: Merge = (acc, other, lower) => {
    if (isErrorMarker(acc)) return acc;
    if (isErrorMarker(other)) return other;
    const a = acc as unknown[];
    const b = other as unknown[];
    for (let i = 0; i < a.length; i++) {
      a[i] = combine(op, a[i], b[i], lower);
      if (isErrorMarker(a[i])) return a[i];
    }
    return a;
  };
  const own = isErrorMarker(values) ? values : (values as unknown[]).map((v) => ownCopy(v));
  const total = await binomial(comm, own, 0, false, merge, tag);
  const list = comm.rank === 0 ? (isErrorMarker(total) ? Array.from({ length: comm.size }, () => total) : (total as unknown[])) : undefined;
  return binomialScatter(comm, list, 0, tag);
}

export async function pairwise(comm: Channel, values: unknown[] | unknown, op: Op, tag: number): Promise<unknown> {
  const n = comm.size;
  const rank = comm.rank;
  const bad = isErrorMarker(values);
  const list = values as unknown[];
  const recvs = Array.from({ length: n }, (_, r) => (r === rank ? Promise.resolve(bad ? values : list[rank]) : comm.collIrecv(r, tag)));
  const sends = [];
  for (let s = 1; s < n; s++) {
    const dest = (rank + s) % n;
    sends.push(comm.collIsend(bad ? values : list[dest], dest, tag));
  }
  const [got] = await Promise.all([all(recvs), all(sends)]);
  let acc = ownCopy(got[0]);
  for (let r = 1; r < n; r++) acc = combine(op, acc, got[r], false);
  return acc;
}
