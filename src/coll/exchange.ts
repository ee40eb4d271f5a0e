/**
 * Small messaging patterns shared by the algorithms, on the collective
 * context. Receives are posted before sends so a peer's message never waits
 * in the unexpected queue longer than needed.
 */
import type { Channel } from "./channel.ts";
import { MpiError } from "../errors.ts";
import { waitall } from "../core/request.ts";
import type { Scratch } from "./scratch.ts";
import { bytesOf } from "./values.ts";

/**
 * Send `data` to `dest` while receiving from `source`. With `scratch`, an
 * incoming typed array lands in one of its buffers: release it after use.
 */
export async function exchange<T>(comm: Channel, data: unknown, dest: number, source: number, tag: number, scratch?: Scratch): Promise<T> {
  const r = comm.collIrecv<T>(source, tag, scratch?.lend);
  const s = comm.collIsend(data, dest, tag);
  const [v] = await waitall([r, s] as const);
  return v;
}

/** Send `data` to `dest` while receiving exactly `into.byteLength` bytes from `source` into `into`. */
export async function exchangeInto(
  comm: Channel,
  data: ArrayBufferView,
  dest: number,
  into: ArrayBufferView,
  source: number,
  tag: number,
  call: string,
): Promise<void> {
  const r = comm.collIrecvInto(bytesOf(into), source, tag);
  const s = comm.collIsend(data, dest, tag);
  const [n] = await waitall([r, s] as const);
  if (n !== into.byteLength) throw countError(comm, call, source, n, into.byteLength);
}

/** Receive exactly `into.byteLength` bytes from `source` into `into`. */
export async function receiveInto(comm: Channel, into: ArrayBufferView, source: number, tag: number, call: string): Promise<void> {
  const n = await comm.collIrecvInto(bytesOf(into), source, tag);
  if (n !== into.byteLength) throw countError(comm, call, source, n, into.byteLength);
}

export function countError(comm: Channel, call: string, source: number, got: number, want: number): MpiError {
  return new MpiError(
    "ERR_COUNT",
    `rank ${comm.rank}, ${call}: rank ${source} sent ${Number.isNaN(got) ? "more" : got} bytes where ${want} were expected; pass matching counts on every rank`,
  );
}

/**
 * One step in which every rank sends `outgoing(dest)` to every other rank and
 * receives one value from each; resolves to the n values in rank order, this
 * rank's `own` at its index (with `scratch`, received typed arrays are lent:
 * release them once used). One wait over all requests (receives posted
 * first): with more ranks than cores each rank's CPU time per call adds to
 * the collective's latency, so no promise per message.
 */
export async function exchangeWithAll<T>(comm: Channel, own: T, outgoing: (dest: number) => unknown, tag: number, scratch?: Scratch): Promise<T[]> {
  const n = comm.size;
  const rank = comm.rank;
  const reqs: PromiseLike<unknown>[] = [];
  // With `scratch`, incoming typed arrays land in lent buffers: the caller releases them.
  for (let r = 0; r < n; r++) if (r !== rank) reqs.push(comm.collIrecv<T>(r, tag, scratch?.lend));
  for (let s = 1; s < n; s++) {
    const dest = (rank + s) % n;
    reqs.push(comm.collIsend(outgoing(dest), dest, tag));
  }
  const got = await waitall(reqs);
  const out = new Array<T>(n);
  for (let r = 0; r < n; r++) out[r] = r === rank ? own : (got[r < rank ? r : r - 1] as T);
  return out;
}

/** Await every request (or promise), in order, polling first as MPI_Waitall does. */
export function all<T>(xs: PromiseLike<T>[]): Promise<T[]> {
  return waitall(xs) as Promise<T[]>;
}
