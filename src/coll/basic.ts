/**
 * Simple, correct collective algorithms over point-to-point in the
 * communicator's collective context. They are the baseline the algorithm
 * library (and its selection rules) is checked against.
 */
import type { Comm } from "../api/comm.ts";
import type { Op } from "../api/op.ts";

/** Dissemination barrier: ceil(log2 n) rounds, any n. */
export async function barrier(comm: Comm): Promise<void> {
  const tag = comm.nextCollectiveTag();
  const n = comm.size;
  for (let d = 1; d < n; d <<= 1) {
    await comm.collSendrecv(null, (comm.rank + d) % n, (comm.rank - d + n) % n, tag);
  }
}

/** Binomial-tree broadcast from `root`. */
export async function bcast<T>(comm: Comm, data: T | undefined, root: number): Promise<T> {
  const tag = comm.nextCollectiveTag();
  const n = comm.size;
  const rel = (comm.rank - root + n) % n;
  let value = data as T;
  let mask = 1;
  while (mask < n) {
    if (rel & mask) {
      value = await comm.collRecv<T>((comm.rank - mask + n) % n, tag);
      break;
    }
    mask <<= 1;
  }
  mask >>= 1;
  const sends: Promise<void>[] = [];
  while (mask > 0) {
    if (rel + mask < n) sends.push(comm.collSend(value, (comm.rank + mask) % n, tag));
    mask >>= 1;
  }
  await Promise.all(sends);
  return value;
}

/**
 * Reduce to `root`. Commutative ops use a binomial tree; others gather in rank
 * order at the root and fold left, so `op(op(x0, x1), x2)` holds exactly.
 */
export async function reduce<T>(comm: Comm, value: T, op: Op, root: number): Promise<T | undefined> {
  if (!op.commutative) {
    const all = await gather(comm, value, root);
    if (!all) return undefined;
    let acc = all[0]!;
    for (let i = 1; i < all.length; i++) acc = op.apply(acc, all[i]!);
    return acc;
  }
  const tag = comm.nextCollectiveTag();
  const n = comm.size;
  const rel = (comm.rank - root + n) % n;
  let acc = value;
  for (let mask = 1; mask < n; mask <<= 1) {
    if (rel & mask) {
      await comm.collSend(acc, (comm.rank - mask + n) % n, tag);
      return undefined;
    }
    if (rel + mask < n) {
      const other = await comm.collRecv<T>((comm.rank + mask) % n, tag);
      acc = op.apply(acc, other);
    }
  }
  return acc;
}

export async function allreduce<T>(comm: Comm, value: T, op: Op): Promise<T> {
  const r = await reduce(comm, value, op, 0);
  return bcast(comm, r, 0);
}

/** Linear gather: every rank sends to the root, which stores by rank. */
export async function gather<T>(comm: Comm, value: T, root: number): Promise<T[] | undefined> {
  const tag = comm.nextCollectiveTag();
  if (comm.rank !== root) {
    await comm.collSend(value, root, tag);
    return undefined;
  }
  const out = new Array<T>(comm.size);
  out[root] = value;
  const recvs: Promise<void>[] = [];
  for (let r = 0; r < comm.size; r++) {
    if (r !== root) recvs.push(comm.collRecv<T>(r, tag).then((v) => void (out[r] = v)));
  }
  await Promise.all(recvs);
  return out;
}

export async function allgather<T>(comm: Comm, value: T): Promise<T[]> {
  const all = await gather(comm, value, 0);
  return bcast(comm, all, 0);
}
