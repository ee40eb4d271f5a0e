/**
 * All-to-all (elements may differ in size, so this is also alltoallv):
 * linear (post everything at once: one step, best for few ranks and for
 * oversubscribed cores), pairwise exchange (n-1 steps, one peer at a time:
 * bounded memory for large messages) and Bruck (log2 n steps of combined
 * blocks: fewest messages for small ones).
 */
import type { ReceiveRequest, SendRequest } from "../core/requests.ts";
import type { Channel } from "./channel.ts";
import { countError, exchange, exchangeWithAll } from "./exchange.ts";
import { bytesOf } from "./values.ts";

export async function linear<T>(comm: Channel, values: T[], tag: number): Promise<T[]> {
  return exchangeWithAll(comm, values[comm.rank]!, (dest) => values[dest], tag);
}

export async function pairwise<T>(comm: Channel, values: T[], tag: number): Promise<T[]> {
  const n = comm.size;
  const rank = comm.rank;
  const out = new Array<T>(n);
  out[rank] = values[rank]!;
  for (let s = 1; s < n; s++) {
    const dest = (rank + s) % n;
    const source = (rank - s + n) % n;
    out[source] = await exchange<T>(comm, values[dest], dest, source, tag);
  }
  return out;
}

export async function bruck<T>(comm: Channel, values: T[], tag: number): Promise<T[]> {
  const n = comm.size;
  const rank = comm.rank;
  // Block i is bound for rank + i; in the round for bit `pof` every block with
  // that bit set moves pof ranks on, so block i travels i ranks in all.
  const buf = Array.from({ length: n }, (_, i) => values[(rank + i) % n]!);
  for (let pof = 1; pof < n; pof <<= 1) {
    const idx: number[] = [];
    for (let i = 1; i < n; i++) if (i & pof) idx.push(i);
    const got = await exchange<T[]>(
      comm,
      idx.map((i) => buf[i]),
      (rank + pof) % n,
      (rank - pof + n) % n,
      tag,
    );
    for (let k = 0; k < idx.length; k++) buf[idx[k]!] = got[k]!;
  }
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[(rank - i + n) % n] = buf[i]!;
  return out;
}

/**
 * Typed-array all-to-all into the caller's buffer: block r of `send`
 * (`sendCounts[r]` elements, packed in rank order) goes to rank r, and block
 * j of `recv` is filled from rank j. No intermediate copies.
 */
export async function linearInto(
  comm: Channel,
  send: ArrayBufferView,
  sendCounts: readonly number[],
  recv: ArrayBufferView,
  recvCounts: readonly number[],
  tag: number,
): Promise<void> {
  const n = comm.size;
  const rank = comm.rank;
  const es = (send as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const er = (recv as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const sendBlocks = blocksOf(send, sendCounts, es);
  const recvBlocks = blocksOf(recv, recvCounts, er);
  // The core's records, no handle or promise per message, waited on together:
  // a handle and a promise each cost more than the 8 B messages of a large
  // all-to-all. Sized up front: hundreds of entries each, on every call.
  const receives = new Array<ReceiveRequest>(n - 1);
  const records: (ReceiveRequest | SendRequest)[] = new Array(n - 1);
  for (let s = 1; s < n; s++) {
    const src = (rank - s + n) % n;
    const r = comm.collRecvRecord(recvBlocks[src]!, src, tag);
    receives[s - 1] = r;
    records[s - 1] = r;
  }
  for (let s = 1; s < n; s++) {
    const dest = (rank + s) % n;
    const sent = comm.collSendRecord(sendBlocks[dest]!, dest, tag);
    // A send the transport took at once is complete already (the shared SENT record): nothing to wait for.
    if (!sent.done || sent.error) records.push(sent);
  }
  const mine = sendBlocks[rank]!;
  const into = recvBlocks[rank]!;
  const selfOk = mine.byteLength === into.byteLength;
  if (selfOk) into.set(mine);
  // Settles once every transfer finished (or failed), so no peer is left waiting on this rank.
  await comm.collWait(records);
  // Report as before: the receives in order, then the sends, then this rank's own block.
  for (let s = 1; s < n; s++) {
    const src = (rank - s + n) % n;
    const want = recvBlocks[src]!.byteLength;
    const r = receives[s - 1]!;
    if (r.error) throw r.error.code === "ERR_TRUNCATE" ? countError(comm, "alltoallInto", src, Number.NaN, want) : r.error;
    if (r.totalBytes !== want) throw countError(comm, "alltoallInto", src, r.totalBytes, want);
    // Read: nobody holds it any more, so the next receive may reuse it.
    comm.collRelease(r);
  }
  for (let i = n - 1; i < records.length; i++) if (records[i]!.error) throw records[i]!.error;
  if (!selfOk) throw countError(comm, "alltoallInto", rank, mine.byteLength, into.byteLength);
}

/** A buffer's blocks as byte views, with what they were cut for. */
interface Blocks {
  byteOffset: number;
  byteLength: number;
  counts: number[];
  elementBytes: number;
  views: Uint8Array[];
}

/**
 * The last blocks cut from each buffer: a program calls alltoall on the same
 * buffers with the same counts again and again, and a view per block per call
 * (two per message of an 8 B all-to-all, each outliving the round) cost more
 * in allocation and garbage collection than the messages.
 */
const cut = new WeakMap<ArrayBufferLike, Blocks>();

/** Byte views of `a`'s blocks (`counts[r]` elements each, packed in rank order), reused when cut the same way before. */
function blocksOf(a: ArrayBufferView, counts: readonly number[], elementBytes: number): Uint8Array[] {
  const known = cut.get(a.buffer);
  if (
    known &&
    known.byteOffset === a.byteOffset &&
    known.byteLength === a.byteLength &&
    known.elementBytes === elementBytes &&
    sameCounts(known.counts, counts)
  ) {
    return known.views;
  }
  const bytes = bytesOf(a);
  const views = new Array<Uint8Array>(counts.length);
  for (let i = 0, at = 0; i < counts.length; i++) {
    const end = at + counts[i]! * elementBytes;
    views[i] = bytes.subarray(at, end);
    at = end;
  }
  cut.set(a.buffer, { byteOffset: a.byteOffset, byteLength: a.byteLength, counts: counts.slice(), elementBytes, views });
  return views;
}

function sameCounts(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
