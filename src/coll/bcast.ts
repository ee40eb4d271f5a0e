/**
 * Broadcast algorithms. Only the root knows the message size, so a size-based
 * choice is the root's: the binomial tree and scatter-allgather share one
 * tree, and the root tells its children which one runs by what it sends
 * first (the data itself, or a small header announcing a split array).
 */
import { newTypedArray } from "../core/payload.ts";
import type { Channel } from "./channel.ts";
import { all, exchangeInto, receiveInto } from "./exchange.ts";
import { absolute, childrenOf, parentOf, relative, subtreeSize } from "./tree.ts";
import { blockStart, isNumericArray, type NumericArray } from "./values.ts";

const HEADER_KEY = "\u0000tsmpi.bcast";

interface SplitHeader {
  [HEADER_KEY]: [string, number];
}

function isHeader(v: unknown): v is SplitHeader {
  return typeof v === "object" && v !== null && !ArrayBuffer.isView(v) && HEADER_KEY in v;
}

/**
 * Binomial tree from `root`; when the root's data is a typed array of at
 * least `splitAbove` bytes and one element per rank, runs scatter-allgather
 * instead (van de Geijn: binomial scatter of blocks, then a ring allgather).
 * Only the root's `splitAbove` matters.
 */
export async function tree<T>(comm: Channel, data: T | undefined, root: number, tag: number, splitAbove: number): Promise<T> {
  const n = comm.size;
  if (n === 1) return data as T;
  const rel = relative(comm.rank, root, n);
  let value = data as unknown;
  if (rel !== 0) value = await comm.collIrecv(absolute(parentOf(rel), root, n), tag);
  else if (isNumericArray(data) && data.byteLength >= splitAbove && data.length >= n) value = { [HEADER_KEY]: [data.constructor.name, data.length] };
  if (isHeader(value)) return (await scatterAllgather(comm, rel, root, tag, value, data as unknown as NumericArray)) as T;
  await all(childrenOf(rel, n).map((c) => comm.collIsend(value, absolute(c, root, n), tag)));
  return value as T;
}

async function scatterAllgather(comm: Channel, rel: number, root: number, tag: number, header: SplitHeader, rootData: NumericArray): Promise<NumericArray> {
  const n = comm.size;
  const [kind, length] = header[HEADER_KEY];
  const out = rel === 0 ? rootData : newTypedArray(kind, length)!;
  const block = (i: number): number => blockStart(length, n, i);
  const call = "bcast (scatter_allgather)";
  // Scatter: each rank gets the blocks of its subtree from its parent.
  if (rel !== 0) {
    const span = subtreeSize(rel, n);
    await receiveInto(comm, out.subarray(block(rel), block(rel + span)), absolute(parentOf(rel), root, n), tag, call);
  }
  await all(
    childrenOf(rel, n).map(async (c) => {
      const dest = absolute(c, root, n);
      await comm.collIsend(header, dest, tag);
      await comm.collIsend(out.subarray(block(c), block(c + subtreeSize(c, n))), dest, tag);
    }),
  );
  // Ring allgather of the blocks, in relative ranks.
  const right = absolute((rel + 1) % n, root, n);
  const left = absolute((rel - 1 + n) % n, root, n);
  for (let s = 0; s < n - 1; s++) {
    const send = (rel - s + n) % n;
    const recv = (rel - s - 1 + n) % n;
    await exchangeInto(comm, out.subarray(block(send), block(send + 1)), right, out.subarray(block(recv), block(recv + 1)), left, tag, call);
  }
  return out;
}

const PIPELINE_KEY = "\u0000tsmpi.pipeline";

/**
 * Pipelined chain: typed arrays travel rank to rank in segments (16 KiB,
 * under the shared-memory eager limit, so no handshakes), each rank
 * forwarding segment k while segment k+1 is still arriving, so the time is
 * about one message's plus (n-2) segments' instead of log2 n whole messages.
 * Other values go down the chain whole.
 */
export async function pipeline<T>(comm: Channel, data: T | undefined, root: number, tag: number, segmentBytes = 16384): Promise<T> {
  const n = comm.size;
  if (n === 1) return data as T;
  const rel = relative(comm.rank, root, n);
  const prev = absolute(rel - 1, root, n);
  const next = rel + 1 < n ? absolute(rel + 1, root, n) : -1;
  let out: NumericArray;
  if (rel === 0) {
    if (!isNumericArray(data)) {
      await comm.collIsend(data, next, tag);
      return data as T;
    }
    out = data;
    await comm.collIsend({ [PIPELINE_KEY]: [data.constructor.name, data.length] }, next, tag);
  } else {
    const first = await comm.collIrecv(prev, tag);
    if (!(typeof first === "object" && first !== null && !ArrayBuffer.isView(first) && PIPELINE_KEY in first)) {
      if (next >= 0) await comm.collIsend(first, next, tag);
      return first as T;
    }
    const [kind, length] = (first as Record<string, [string, number]>)[PIPELINE_KEY]!;
    out = newTypedArray(kind, length)!;
    if (next >= 0) await comm.collIsend(first, next, tag);
  }
  const per = Math.max(1, Math.floor(segmentBytes / out.BYTES_PER_ELEMENT));
  const segments: NumericArray[] = [];
  for (let at = 0; at < out.length; at += per) segments.push(out.subarray(at, Math.min(out.length, at + per)));
  // Post every segment's receive first: same tag, so they match in order.
  const recvs = rel === 0 ? [] : segments.map((seg) => receiveInto(comm, seg, prev, tag, "bcast (pipeline)"));
  const sends: PromiseLike<void>[] = [];
  for (let k = 0; k < segments.length; k++) {
    if (rel !== 0) await recvs[k];
    if (next >= 0) sends.push(comm.collIsend(segments[k], next, tag));
  }
  await all(sends);
  return out as T;
}

/** The root sends to every rank itself: one step, n - 1 messages from one sender. */
export async function linear<T>(comm: Channel, data: T | undefined, root: number, tag: number): Promise<T> {
  if (comm.rank !== root) return comm.collIrecv<T>(root, tag);
  const sends = [];
  for (let r = 0; r < comm.size; r++) if (r !== root) sends.push(comm.collIsend(data, r, tag));
  await all(sends);
  return data as T;
}
