/**
 * Bandwidth-optimal allreduce for large typed arrays with built-in ops: the
 * array is cut into blocks that are reduced where they belong and then
 * gathered, so each rank moves about 2·(n-1)/n of the array instead of
 * log2 n whole copies. Callers guarantee (by agreeing signatures first) that
 * every rank passes the same kind and length; `acc` is reduced in place.
 */
import type { Comm } from "../api/comm.ts";
import type { Op } from "../api/op.ts";
import { exchangeInto, receiveInto } from "./exchange.ts";
import { powerOfTwoBelow } from "./tree.ts";
import { blockStart, type NumericArray } from "./values.ts";

const CALL = "allreduce";

/**
 * Segment size of a reduce step (estimate): below the shared-memory eager
 * limit (32 KiB, transports/shm) so segments need no rendezvous handshake —
 * with more ranks than cores each handshake can cost a scheduling round —
 * and small enough that reducing one segment overlaps the next one's arrival.
 */
const SEGMENT_BYTES = 16384;

/**
 * Send `send` to `dest` while receiving the matching block from `source` in
 * segments into `scratch`, reducing each segment into `keep` as it lands.
 * Both sides cut a block the same way, so segments pair up.
 */
async function exchangeReduce(
  comm: Comm,
  send: NumericArray,
  dest: number,
  keep: NumericArray,
  source: number,
  tag: number,
  op: Op,
  scratch: NumericArray,
): Promise<void> {
  const per = Math.max(1, Math.floor(SEGMENT_BYTES / keep.BYTES_PER_ELEMENT));
  const recvs: Promise<void>[] = [];
  for (let at = 0; at < keep.length || at === 0; at += per) {
    const p = receiveInto(comm, scratch.subarray(at, Math.min(keep.length, at + per)), source, tag, CALL);
    p.catch(() => undefined); // awaited below, in order; this only keeps an early failure from being "unhandled"
    recvs.push(p);
    if (keep.length === 0) break;
  }
  const sends: PromiseLike<void>[] = [];
  for (let at = 0; at < send.length || at === 0; at += per) {
    sends.push(comm.collIsend(send.subarray(at, Math.min(send.length, at + per)), dest, tag));
    if (send.length === 0) break;
  }
  for (let k = 0, at = 0; k < recvs.length; k++, at += per) {
    await recvs[k];
    const end = Math.min(keep.length, at + per);
    op.applyInto(keep.subarray(at, end), scratch.subarray(at, end));
  }
  await Promise.all(sends);
}

/** A scratch array of `acc`'s kind holding `length` elements. */
function scratchFor(acc: NumericArray, length: number): NumericArray {
  return new (acc.constructor as new (n: number) => NumericArray)(length);
}

/** Ring (Patarasuk and Yuan 2009): n-1 reduce-scatter steps, then n-1 allgather steps. */
export async function ring(comm: Comm, acc: NumericArray, op: Op, tag: number): Promise<NumericArray> {
  const n = comm.size;
  const rank = comm.rank;
  const length = acc.length;
  const block = (i: number): NumericArray => acc.subarray(blockStart(length, n, i), blockStart(length, n, i + 1));
  const right = (rank + 1) % n;
  const left = (rank - 1 + n) % n;
  const scratch = scratchFor(acc, blockStart(length, n, 1) + 1);
  for (let s = 0; s < n - 1; s++) {
    await exchangeReduce(comm, block((rank - s + n) % n), right, block((rank - s - 1 + n) % n), left, tag, op, scratch);
  }
  for (let s = 0; s < n - 1; s++) {
    await exchangeInto(comm, block((rank + 1 - s + n) % n), right, block((rank - s + n) % n), left, tag, CALL);
  }
  return acc;
}

/**
 * Rabenseifner: reduce-scatter by recursive halving, then allgather by
 * recursive doubling, over the largest power of two p ≤ n (the other ranks
 * fold in first and get the result at the end). 2 log2 p steps.
 */
export async function rabenseifner(comm: Comm, acc: NumericArray, op: Op, tag: number): Promise<NumericArray> {
  const n = comm.size;
  const rank = comm.rank;
  const length = acc.length;
  const p = powerOfTwoBelow(n);
  const rem = n - p;
  const range = (lo: number, hi: number): NumericArray => acc.subarray(blockStart(length, p, lo), blockStart(length, p, hi));
  let newrank: number;
  if (rank < 2 * rem) {
    if (rank % 2 === 0) {
      await comm.collIsend(acc, rank + 1, tag);
      newrank = -1;
    } else {
      op.applyInto(acc, await comm.collIrecv<NumericArray>(rank - 1, tag));
      newrank = rank >> 1;
    }
  } else {
    newrank = rank - rem;
  }
  const real = (nr: number): number => (nr < rem ? nr * 2 + 1 : nr + rem);
  if (newrank >= 0) {
    const scratch = scratchFor(acc, blockStart(length, 2, 1) + 1);
    let lo = 0;
    let hi = p;
    for (let mask = p >> 1; mask >= 1; mask >>= 1) {
      const partner = newrank ^ mask;
      const mid = lo + ((hi - lo) >> 1);
      const keepLow = newrank < partner;
      const [keepLo, keepHi, sendLo, sendHi] = keepLow ? [lo, mid, mid, hi] : [mid, hi, lo, mid];
      await exchangeReduce(comm, range(sendLo, sendHi), real(partner), range(keepLo, keepHi), real(partner), tag, op, scratch);
      lo = keepLo;
      hi = keepHi;
    }
    for (let mask = 1; mask < p; mask <<= 1) {
      const partner = newrank ^ mask;
      const w = hi - lo;
      const [plo, phi] = newrank < partner ? [hi, hi + w] : [lo - w, lo];
      await exchangeInto(comm, range(lo, hi), real(partner), range(plo, phi), real(partner), tag, CALL);
      lo = Math.min(lo, plo);
      hi = Math.max(hi, phi);
    }
  }
  if (rank < 2 * rem) {
    if (rank % 2 === 1) await comm.collIsend(acc, rank - 1, tag);
    else await receiveInto(comm, acc, rank + 1, tag, CALL);
  }
  return acc;
}
