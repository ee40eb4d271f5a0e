/** Barrier algorithms. */
import type { Channel } from "./channel.ts";
import { all } from "./exchange.ts";
import { childrenOf, parentOf } from "./tree.ts";

/**
 * A barrier's messages carry nothing: an empty byte array travels as raw
 * bytes and lands in this same empty buffer, where `null` would be packed and
 * unpacked by msgpack and a received value allocated on every message.
 */
const NOTHING = new Uint8Array(0);

/** Dissemination (Hensgen, Finkel, Manber 1988): ceil(log2 n) rounds, any n, no root. */
export async function dissemination(comm: Channel, tag: number): Promise<void> {
  const n = comm.size;
  for (let d = 1; d < n; d <<= 1) {
    const r = comm.collIrecvInto(NOTHING, (comm.rank - d + n) % n, tag);
    const s = comm.collIsend(NOTHING, (comm.rank + d) % n, tag);
    await all<unknown>([r, s]);
  }
}

/** Binomial fan-in to rank 0. */
export async function fanIn(comm: Channel, tag: number): Promise<void> {
  const rel = comm.rank;
  await all(childrenOf(rel, comm.size).map((c) => comm.collIrecvInto(NOTHING, c, tag)));
  if (rel !== 0) await comm.collIsend(NOTHING, parentOf(rel), tag);
}

/** Binomial fan-out from rank 0. */
export async function fanOut(comm: Channel, tag: number): Promise<void> {
  const rel = comm.rank;
  if (rel !== 0) await comm.collIrecvInto(NOTHING, parentOf(rel), tag);
  await all(childrenOf(rel, comm.size).map((c) => comm.collIsend(NOTHING, c, tag)));
}

/** Fan-in then fan-out on a binomial tree: 2 log2 n steps, but each rank sends at most log2 n messages. */
export async function tree(comm: Channel, tag: number): Promise<void> {
  await fanIn(comm, tag);
  await fanOut(comm, tag);
}

/** Everyone tells everyone: one step, n-1 messages per rank (few ranks, more ranks than cores). */
export async function linear(comm: Channel, tag: number): Promise<void> {
  const n = comm.size;
  const rank = comm.rank;
  const ops: PromiseLike<unknown>[] = [];
  for (let s = 1; s < n; s++) {
    ops.push(comm.collIrecvInto(NOTHING, (rank - s + n) % n, tag));
    ops.push(comm.collIsend(NOTHING, (rank + s) % n, tag));
  }
  await all(ops);
}
