/** Barrier algorithms. */
import type { Comm } from "../api/comm.ts";
import { all } from "./exchange.ts";
import { childrenOf, parentOf } from "./tree.ts";

/** Dissemination (Hensgen, Finkel, Manber 1988): ceil(log2 n) rounds, any n, no root. */
export async function dissemination(comm: Comm, tag: number): Promise<void> {
  const n = comm.size;
  for (let d = 1; d < n; d <<= 1) {
    const r = comm.collIrecv((comm.rank - d + n) % n, tag);
    const s = comm.collIsend(null, (comm.rank + d) % n, tag);
    await all<unknown>([r, s]);
  }
}

/** Binomial fan-in to rank 0. */
export async function fanIn(comm: Comm, tag: number): Promise<void> {
  const rel = comm.rank;
  await all(childrenOf(rel, comm.size).map((c) => comm.collIrecv(c, tag)));
  if (rel !== 0) await comm.collIsend(null, parentOf(rel), tag);
}

/** Binomial fan-out from rank 0. */
export async function fanOut(comm: Comm, tag: number): Promise<void> {
  const rel = comm.rank;
  if (rel !== 0) await comm.collIrecv(parentOf(rel), tag);
  await all(childrenOf(rel, comm.size).map((c) => comm.collIsend(null, c, tag)));
}

/** Fan-in then fan-out on a binomial tree: 2 log2 n steps, but each rank sends at most log2 n messages. */
export async function tree(comm: Comm, tag: number): Promise<void> {
  await fanIn(comm, tag);
  await fanOut(comm, tag);
}

/** Everyone tells everyone: one step, n-1 messages per rank (few ranks, more ranks than cores). */
export async function linear(comm: Comm, tag: number): Promise<void> {
  const n = comm.size;
  const rank = comm.rank;
  const ops: PromiseLike<unknown>[] = [];
  for (let s = 1; s < n; s++) {
    ops.push(comm.collIrecv((rank - s + n) % n, tag));
    ops.push(comm.collIsend(null, (rank + s) % n, tag));
  }
  await all(ops);
}
