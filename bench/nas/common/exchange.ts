/** Typed-array exchanges for the NAS kernels: all-to-all(v) and all-gather into caller buffers. */
import { type Comm, type Request, waitall } from "tsmpi";

type Block = Float64Array | Int32Array;

/**
 * All-to-all of typed-array blocks (MPI_Alltoallv): `send` holds
 * `sendCounts[r]` elements for each rank r in rank order, `recv` receives
 * `recvCounts[j]` elements from each rank j in rank order; both buffers
 * belong to the caller, so nothing is allocated per call. Uses the runtime's
 * `comm.alltoallInto` when it has one; otherwise pairwise irecvInto/isend
 * (step s sends to rank+s, receives from rank−s, every receive posted first).
 */
export async function alltoallInto(
  comm: Comm,
  send: Block,
  sendCounts: readonly number[],
  recv: Block,
  recvCounts: readonly number[],
  tag: number,
): Promise<void> {
  const np = comm.size;
  const native = (comm as { alltoallInto?: unknown }).alltoallInto;
  if (np > 1 && typeof native === "function") {
    await comm.alltoallInto(send, sendCounts, recv, recvCounts);
    return;
  }
  const me = comm.rank;
  const sendAt = offsets(sendCounts);
  const recvAt = offsets(recvCounts);
  const block = (b: Block, at: number[], counts: readonly number[], r: number): Block => b.subarray(at[r]!, at[r]! + counts[r]!);
  block(recv, recvAt, recvCounts, me).set(block(send, sendAt, sendCounts, me) as never);
  if (np === 1) return;
  const pending: Request<unknown>[] = [];
  for (let s = 1; s < np; s++) {
    const from = (me - s + np) % np;
    pending.push(comm.irecvInto(block(recv, recvAt, recvCounts, from), from, tag));
  }
  for (let s = 1; s < np; s++) {
    const to = (me + s) % np;
    pending.push(comm.isend(block(send, sendAt, sendCounts, to), to, tag));
  }
  await waitall(pending);
}

function offsets(counts: readonly number[]): number[] {
  const at = [0];
  for (let i = 0; i < counts.length; i++) at.push(at[i]! + counts[i]!);
  return at;
}

/**
 * All-gather of typed-array blocks into one array (MPI_Allgatherv into a
 * caller-owned buffer): rank i's `mine` lands in `blocks[i]`, views of the
 * full vector, so the gathered vector needs no copy on arrival.
 */
export async function allgatherInto(comm: Comm, mine: Block, blocks: Block[], tag: number): Promise<void> {
  const np = comm.size;
  const me = comm.rank;
  if (blocks[me] !== mine) blocks[me]!.set(mine as never);
  if (np === 1) return;
  const pending: Request<unknown>[] = [];
  for (let s = 1; s < np; s++) {
    const from = (me - s + np) % np;
    pending.push(comm.irecvInto(blocks[from]!, from, tag));
  }
  for (let s = 1; s < np; s++) pending.push(comm.isend(mine, (me + s) % np, tag));
  await waitall(pending);
}
