/** Gather and scatter: binomial trees (log2 n steps) and linear (one step, root-bound). */
import type { Channel } from "./channel.ts";
import { all } from "./exchange.ts";
import { absolute, childrenOf, parentOf, relative, subtreeSize } from "./tree.ts";

/** Each rank collects its subtree's values (in relative rank order) and passes them up. */
export async function binomialGather<T>(comm: Channel, value: T, root: number, tag: number): Promise<T[] | undefined> {
  const n = comm.size;
  const rel = relative(comm.rank, root, n);
  const children = childrenOf(rel, n).reverse();
  const parts = await all(children.map((c) => comm.collIrecv<T[]>(absolute(c, root, n), tag)));
  const list: T[] = [value];
  for (const p of parts) for (const v of p) list.push(v);
  if (rel !== 0) {
    await comm.collIsend(list, absolute(parentOf(rel), root, n), tag);
    return undefined;
  }
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[absolute(i, root, n)] = list[i]!;
  return out;
}

export async function linearGather<T>(comm: Channel, value: T, root: number, tag: number): Promise<T[] | undefined> {
  if (comm.rank !== root) {
    await comm.collIsend(value, root, tag);
    return undefined;
  }
  return all(Array.from({ length: comm.size }, (_, r) => (r === root ? Promise.resolve(value) : comm.collIrecv<T>(r, tag))));
}

/** The root hands each child the values of its subtree; each rank keeps the first. */
export async function binomialScatter<T>(comm: Channel, values: T[] | undefined, root: number, tag: number): Promise<T> {
  const n = comm.size;
  const rel = relative(comm.rank, root, n);
  let list: T[];
  if (rel === 0) list = Array.from({ length: n }, (_, i) => values![absolute(i, root, n)]!);
  else list = await comm.collIrecv<T[]>(absolute(parentOf(rel), root, n), tag);
  await all(childrenOf(rel, n).map((c) => comm.collIsend(list.slice(c - rel, c - rel + subtreeSize(c, n)), absolute(c, root, n), tag)));
  return list[0]!;
}

export async function linearScatter<T>(comm: Channel, values: T[] | undefined, root: number, tag: number): Promise<T> {
  if (comm.rank !== root) return comm.collIrecv<T>(root, tag);
  const sends = [];
  for (let r = 0; r < comm.size; r++) if (r !== root) sends.push(comm.collIsend(values![r], r, tag));
  await all(sends);
  return values![root]!;
}
