/**
 * Allreduce of typed arrays too big for a slot, by single copy (Open MPI's
 * coll/sm and MPICH do the same with XPMEM): every member exposes its input
 * and its result array (slots.ts writeExposed). Member i reduces chunk i of
 * every member's input (its own, then the others' in rank order; every
 * member gets member i's bits for chunk i) into its own result; says so (the bank's PHASE counter); then
 * copies every other chunk out of the result of the member that reduced it.
 * Each member reads about twice its array's size, whatever the member count,
 * and no frame, match or rendezvous is needed.
 */
import type { Channel } from "../channel.ts";
import type { Op } from "../op.ts";
import type { NumericArray } from "../values.ts";
import type { Bank } from "./bank.ts";
import { exposedAddress, exposedShape, fits } from "./slots.ts";
import { heldNow, later, type Now, READ, REACHED } from "./turns.ts";

/** True when every member exposed an array of one kind and length: the call can go on here. */
export function allExposedAlike(bank: Bank, call: number, n: number): boolean {
  const shape = exposedShape(bank, bank.slot(0, call));
  if (shape < 0) return false;
  for (let r = 1; r < n; r++) if (exposedShape(bank, bank.slot(r, call)) !== shape) return false;
  return true;
}

/** True when every member's part of `call` fits its slot or is exposed (none is TOO_BIG). */
export function noneTooBig(bank: Bank, call: number, n: number): boolean {
  for (let r = 0; r < n; r++) {
    const at = bank.slot(r, call);
    if (!fits(bank, at) && exposedShape(bank, at) < 0) return false;
  }
  return true;
}

/** First element of member r's chunk of `length` elements split n ways. */
const chunkStart = (length: number, r: number, n: number): number => Math.floor((length * r) / n);

const bytesOf = (a: NumericArray): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** A buffer kept per bank for a peer's chunk, so a large allreduce neither allocates nor faults in fresh pages each call. */
const kept = new WeakMap<Bank, ArrayBuffer>();

/** A typed array of `like`'s kind and `length` elements over the bank's kept buffer. */
function scratchOf(bank: Bank, like: NumericArray, length: number): NumericArray {
  const bytes = length * like.BYTES_PER_ELEMENT;
  let buffer = kept.get(bank);
  if (!buffer || buffer.byteLength < bytes) kept.set(bank, (buffer = new ArrayBuffer(bytes)));
  return new (like.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => NumericArray)(buffer, 0, length);
}

/**
 * Every member's part of `call` is exposed (allExposedAlike): reduce this
 * member's chunk into `out`, wait for every member's, gather the rest, and
 * keep `value` and `out` alive until every member is done reading them.
 * `out` may be `value` itself (allreduceInto).
 */
export function exposedAllreduce(comm: Channel, tag: number, bank: Bank, call: number, value: NumericArray, op: Op, out: NumericArray): Now<NumericArray> {
  const n = comm.size;
  const me = comm.rank;
  const copy = bank.segment.copyFrom!;
  const per = value.BYTES_PER_ELEMENT;
  const a = chunkStart(value.length, me, n);
  const b = chunkStart(value.length, me + 1, n);
  const acc = out.subarray(a, b) as NumericArray;
  // This member's own chunk first (in place it is there already), then the
  // others' in rank order: one member reduces each chunk, so every member
  // gets that member's bits.
  if (out !== value) acc.set(value.subarray(a, b) as never);
  let scratch: NumericArray | undefined;
  for (let r = 0; r < n; r++) {
    if (r === me) continue;
    scratch ??= scratchOf(bank, value, b - a);
    copy(exposedAddress(bank, bank.slot(r, call), false, a * per), bytesOf(scratch));
    op.applyInto(acc, scratch);
  }
  bank.reach(call);
  if (!heldNow(comm, bank, call, REACHED)) return later(comm, tag, bank, call, REACHED, () => gather(comm, tag, bank, call, out));
  return gather(comm, tag, bank, call, out);
}

/** Copy every other member's reduced chunk out of its result; then wait until nobody reads this member's arrays. */
function gather(comm: Channel, tag: number, bank: Bank, call: number, out: NumericArray): Now<NumericArray> {
  const n = comm.size;
  const per = out.BYTES_PER_ELEMENT;
  for (let r = 0; r < n; r++) {
    if (r === comm.rank) continue;
    const a = chunkStart(out.length, r, n);
    const b = chunkStart(out.length, r + 1, n);
    if (b > a) bank.segment.copyFrom!(exposedAddress(bank, bank.slot(r, call), true, a * per), bytesOf(out.subarray(a, b) as NumericArray));
  }
  bank.finish(call);
  if (!heldNow(comm, bank, call, READ)) return later(comm, tag, bank, call, READ, () => out);
  return out;
}
