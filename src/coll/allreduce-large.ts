/**
 * Bandwidth-optimal allreduce for large typed arrays with built-in ops: the
 * array is cut into blocks that are reduced where they belong and then
 * gathered, so each rank moves about 2·(n-1)/n of the array instead of
 * log2 n whole copies. Callers guarantee (by agreeing signatures first) that
 * every rank passes the same kind and length; `acc` is reduced in place.
 */
import type { Channel } from "./channel.ts";
import type { Op } from "./op.ts";
import { countError, exchange, exchangeInto, receiveInto } from "./exchange.ts";
import type { Scratch } from "./scratch.ts";
import { foldedRank, powerOfTwoBelow, unfoldedRank } from "./tree.ts";
import { blockStart, isNumericArray, type NumericArray } from "./values.ts";

const CALL = "allreduce";

/** Ring (Patarasuk and Yuan 2009): n-1 reduce-scatter steps, then n-1 allgather steps. */
export async function ring(comm: Channel, acc: NumericArray, op: Op, tag: number, scratch: Scratch): Promise<NumericArray> {
  const n = comm.size;
  const rank = comm.rank;
  const length = acc.length;
  const block = (i: number): NumericArray => acc.subarray(blockStart(length, n, i), blockStart(length, n, i + 1));
  const right = (rank + 1) % n;
  const left = (rank - 1 + n) % n;
  for (let s = 0; s < n - 1; s++) {
    const keep = block((rank - s - 1 + n) % n);
    await exchangeReduce(comm, block((rank - s + n) % n), right, keep, keep, left, tag, op, scratch);
  }
  for (let s = 0; s < n - 1; s++) {
    await exchangeInto(comm, block((rank + 1 - s + n) % n), right, block((rank - s + n) % n), left, tag, CALL);
  }
  return acc;
}

/**
 * Receive a block from `source` into the scratch buffer while sending `send`
 * to `dest`, then `out = mine op received`: one message each way (a single
 * copy on shared memory) and one pass over the block.
 */
async function exchangeReduce(
  comm: Channel,
  send: NumericArray,
  dest: number,
  out: NumericArray,
  mine: NumericArray,
  source: number,
  tag: number,
  op: Op,
  scratch: Scratch,
): Promise<void> {
  const other = await exchange<NumericArray>(comm, send, dest, source, tag, scratch);
  try {
    // Signatures were agreed before, so this only guards against a peer that broke the protocol.
    if (!isNumericArray(other) || other.length !== mine.length)
      throw countError(comm, CALL, source, isNumericArray(other) ? other.byteLength : Number.NaN, mine.byteLength);
    op.applyTo(out, mine, other);
  } finally {
    scratch.release(other);
  }
}

/**
 * Rabenseifner: reduce-scatter by recursive halving, then allgather by
 * recursive doubling, over the largest power of two p ≤ n (the other ranks
 * fold in first and get the result at the end). 2 log2 p steps. `value` is
 * only read; the result lands in `out`, which may be `value` itself. Until
 * the first reduction this rank's partial result is `value`, so no copy of
 * it is ever made: each step writes only the half this rank keeps.
 */
export async function rabenseifner(comm: Channel, value: NumericArray, out: NumericArray, op: Op, tag: number, scratch: Scratch): Promise<NumericArray> {
  const n = comm.size;
  const rank = comm.rank;
  const length = value.length;
  const p = powerOfTwoBelow(n);
  const rem = n - p;
  const range = (a: NumericArray, lo: number, hi: number): NumericArray => a.subarray(blockStart(length, p, lo), blockStart(length, p, hi));
  let mine = value;
  const newrank = foldedRank(rank, rem);
  if (rank < 2 * rem) {
    if (newrank < 0) {
      await comm.collIsend(value, rank + 1, tag);
    } else {
      const other = await comm.collIrecv<NumericArray>(rank - 1, tag, scratch.lend);
      try {
        op.applyTo(out, other, value);
      } finally {
        scratch.release(other);
      }
      mine = out;
    }
  }
  if (newrank >= 0) {
    let lo = 0;
    let hi = p;
    for (let mask = p >> 1; mask >= 1; mask >>= 1) {
      const partner = unfoldedRank(newrank ^ mask, rem);
      const mid = lo + ((hi - lo) >> 1);
      const [keepLo, keepHi, sendLo, sendHi] = newrank < (newrank ^ mask) ? [lo, mid, mid, hi] : [mid, hi, lo, mid];
      await exchangeReduce(comm, range(mine, sendLo, sendHi), partner, range(out, keepLo, keepHi), range(mine, keepLo, keepHi), partner, tag, op, scratch);
      mine = out;
      lo = keepLo;
      hi = keepHi;
    }
    if (mine !== out) out.set(mine as never); // one rank alone: nothing was reduced
    for (let mask = 1; mask < p; mask <<= 1) {
      const partner = newrank ^ mask;
      const w = hi - lo;
      const [plo, phi] = newrank < partner ? [hi, hi + w] : [lo - w, lo];
      await exchangeInto(comm, range(out, lo, hi), unfoldedRank(partner, rem), range(out, plo, phi), unfoldedRank(partner, rem), tag, CALL);
      lo = Math.min(lo, plo);
      hi = Math.max(hi, phi);
    }
  }
  if (rank < 2 * rem) {
    if (rank % 2 === 1) await comm.collIsend(out, rank - 1, tag);
    else await receiveInto(comm, out, rank + 1, tag, CALL);
  }
  return out;
}
