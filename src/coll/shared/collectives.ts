/**
 * Shared-memory collectives (Open MPI's coll/sm, MPICH's shared-memory
 * collectives): members of a communicator that live in one VM write their
 * contribution into their own data slot of the communicator's bank
 * (bank.ts), publish it by bumping their ARRIVE counter, and read their
 * peers' slots in place once those counters show the call: no frames, no
 * matching, one step of dependency. DONE counters say a member finished
 * reading, so a slot is rewritten (SLOTS calls later: slots are used in
 * turn) only when nobody still reads it.
 *
 * A typed array too big for a slot is exposed instead where the segment
 * can copy between ranks (single copy, slots.ts): a bcast's members copy it
 * straight out of the root's memory, and allreduce reduces it in chunks
 * (exposed.ts); the writer returns once every member finished reading.
 * Other values that do not fit are marked TOO_BIG with their size; every
 * member sees the marks of the members it depends on, so they all fall back
 * together to the point-to-point algorithm the rules pick for the largest
 * size (`fallback`), on the call's tag. Reductions fold in rank order, so
 * every member computes the same bits even for floating-point sums.
 *
 * A call whose members are all there completes inside the call (turns.ts):
 * its result is given now, not as a promise.
 */
import { Buffer } from "node:buffer";
import type { Channel } from "../channel.ts";
import type { Op } from "../op.ts";
import { opMerge } from "../reduce.ts";
import { isNumericArray, type NumericArray } from "../values.ts";
import { type Bank, idleBank, SLOTS } from "./bank.ts";
import { exposedShape, fits, neededBytes, readValue, shapeOf, viewValue, writeExposed, writeValues } from "./slots.ts";
import { allExposedAlike, exposedAllreduce, noneTooBig } from "./exposed.ts";
import { ended, EVERYONE, type Fallback, heldNow, largestMiss, later, type Now, onBank, READ, sameCall, slotFreeNow, track } from "./turns.ts";

export { type Fallback, type Now, promised, settle, settleCall, thenNow } from "./turns.ts";

export function barrier(comm: Channel, tag: number, fallback: Fallback<void>): Now<void> {
  const b = idleBank(comm);
  if (b !== undefined) return barrierCall(comm, b, b.calls++, tag);
  return onBank(comm, tag, (bank, call) => barrierCall(comm, bank, call, tag), fallback);
}

function barrierCall(comm: Channel, bank: Bank, call: number, tag: number): Now<void> {
  bank.arrive(call, tag);
  if (!heldNow(comm, bank, call, EVERYONE)) return later(comm, tag, bank, call, EVERYONE, () => barrierEnd(comm, bank, call, tag));
  barrierEnd(comm, bank, call, tag);
}

function barrierEnd(comm: Channel, bank: Bank, call: number, tag: number): void {
  sameCall(comm, bank, call, tag, EVERYONE);
  bank.finish(call);
}

/**
 * The root writes `values`; member r reads value `index`; the root keeps
 * `own`. The root's values may come later (promises): hierarchical
 * algorithms take their turn in the VM at the call, in program order, and
 * supply what to broadcast once the stage across VMs has it.
 */
function rootWrites<T>(
  comm: Channel,
  values: ArrayLike<unknown> | Promise<ArrayLike<unknown>>,
  root: number,
  index: number,
  own: T | Promise<T>,
  tag: number,
  fallback: Fallback<T>,
): Now<T> {
  const b = idleBank(comm);
  if (b !== undefined) return rootCall(comm, b, b.calls++, values, root, index, own, tag, fallback);
  return onBank(comm, tag, (bank, call) => rootCall(comm, bank, call, values, root, index, own, tag, fallback), fallback);
}

function rootCall<T>(
  comm: Channel,
  bank: Bank,
  call: number,
  values: ArrayLike<unknown> | Promise<ArrayLike<unknown>>,
  root: number,
  index: number,
  own: T | Promise<T>,
  tag: number,
  fallback: Fallback<T>,
): Now<T> {
  const at = bank.slot(root, call);
  if (comm.rank !== root) {
    bank.arrive(call, tag);
    if (!heldNow(comm, bank, call, root)) return later(comm, tag, bank, call, root, () => readRoot(comm, bank, call, at, root, index, tag, fallback));
    return ended(bank, readRoot(comm, bank, call, at, root, index, tag, fallback));
  }
  if (values instanceof Promise)
    return track(
      bank,
      values.then((v) => rootCall(comm, bank, call, v, root, index, own, tag, fallback)),
    );
  if (own instanceof Promise)
    return track(
      bank,
      own.then((o) => rootCall(comm, bank, call, values, root, index, o, tag, fallback)),
    );
  if (!slotFreeNow(comm, bank, call))
    return later(comm, tag, bank, call - SLOTS, READ, () => rootCall(comm, bank, call, values, root, index, own, tag, fallback));
  const exposed = !writeValues(bank, at, values) && values.length === 1 && writeExposed(bank, at, values[0]);
  bank.arrive(call, tag);
  const ok = fits(bank, at);
  const needed = neededBytes(bank, at);
  bank.finish(call);
  if (!exposed) return ended(bank, ok ? own : fallback(needed));
  // The members copy out of `own`'s memory: it must outlive their reads.
  if (!heldNow(comm, bank, call, READ)) return later(comm, tag, bank, call, READ, () => own);
  return own;
}

/** A member's value from the root's slot, or the fallback when the root's values did not fit. */
function readRoot<T>(comm: Channel, bank: Bank, call: number, at: number, root: number, index: number, tag: number, fallback: Fallback<T>): Now<T> {
  sameCall(comm, bank, call, tag, root);
  // readValue copies an exposed value out of the root's memory too.
  const ok = fits(bank, at) || exposedShape(bank, at) >= 0;
  const value = ok ? (readValue(bank, at, index) as T) : undefined;
  const needed = neededBytes(bank, at);
  bank.finish(call);
  return ok ? (value as T) : fallback(needed);
}

const NOTHING: readonly unknown[] = [];

/** `data` may be a promise (read on the root only): see rootWrites. */
export function bcast<T>(comm: Channel, data: T | undefined | Promise<T | undefined>, root: number, tag: number, fallback: Fallback<T>): Now<T> {
  // Only the root writes: members read, so they make no list.
  const values = comm.rank !== root ? NOTHING : data instanceof Promise ? data.then((d) => [d]) : [data];
  return rootWrites(comm, values, root, 0, data as T | Promise<T>, tag, fallback);
}

/** The root writes one value per member; each reads its own. */
export function scatter<T>(comm: Channel, values: T[] | undefined, root: number, tag: number, fallback: Fallback<T>): Now<T> {
  const mine = comm.rank === root;
  return rootWrites(comm, mine ? values! : [], root, comm.rank, (mine ? values![root] : undefined) as T, tag, fallback);
}

/**
 * Every member writes its values and waits for all (so all see any value
 * too big); `read` runs while the slots are still held.
 */
function everyoneWrites<T>(
  comm: Channel,
  values: ArrayLike<unknown>,
  tag: number,
  read: (bank: Bank, call: number) => T,
  fallback: Fallback<T>,
  exposure?: Exposure<T>,
): Now<T> {
  const b = idleBank(comm);
  if (b !== undefined) return allWrite(comm, b, b.calls++, tag, values, read, fallback, exposure);
  return onBank(comm, tag, (bank, call) => allWrite(comm, bank, call, tag, values, read, fallback, exposure), fallback);
}

/**
 * A way past a slot too small (exposed.ts): `write` exposes this member's
 * value in its slot; `run` finishes the call by single copy once `usable`
 * says every member published what it needs (else every member falls back,
 * as for TOO_BIG). Every member of a call passes the same kind of exposure
 * (or none), so all decide alike from what all published.
 */
interface Exposure<T> {
  write(bank: Bank, at: number, values: ArrayLike<unknown>): boolean;
  usable(bank: Bank, call: number, n: number): boolean;
  run(comm: Channel, tag: number, bank: Bank, call: number, read: (bank: Bank, call: number) => T): Now<T>;
}

function allWrite<T>(
  comm: Channel,
  bank: Bank,
  call: number,
  tag: number,
  values: ArrayLike<unknown>,
  read: (bank: Bank, call: number) => T,
  fallback: Fallback<T>,
  exposure: Exposure<T> | undefined,
): Now<T> {
  if (!slotFreeNow(comm, bank, call))
    return later(comm, tag, bank, call - SLOTS, READ, () => allWrite(comm, bank, call, tag, values, read, fallback, exposure));
  const at = bank.slot(comm.rank, call);
  if (!writeValues(bank, at, values)) exposure?.write(bank, at, values);
  bank.arrive(call, tag);
  if (!heldNow(comm, bank, call, EVERYONE)) return later(comm, tag, bank, call, EVERYONE, () => readAll(comm, bank, call, tag, read, fallback, exposure));
  return ended(bank, readAll(comm, bank, call, tag, read, fallback, exposure));
}

/** Every member's part is there: read them, or fall back with the largest size a member needed. */
function readAll<T>(
  comm: Channel,
  bank: Bank,
  call: number,
  tag: number,
  read: (bank: Bank, call: number) => T,
  fallback: Fallback<T>,
  exposure: Exposure<T> | undefined,
): Now<T> {
  sameCall(comm, bank, call, tag, EVERYONE);
  if (exposure?.usable(bank, call, comm.size)) return exposure.run(comm, tag, bank, call, read);
  const miss = largestMiss(bank, call, comm.size);
  const out = miss < 0 ? read(bank, call) : undefined;
  bank.finish(call);
  return miss < 0 ? (out as T) : fallback(miss);
}

/** Fold every member's value in rank order (the same bits everywhere). */
function fold(bank: Bank, call: number, n: number, op: Op, into: NumericArray | undefined): unknown {
  const first = bank.slot(0, call);
  let typed = op.builtin && isNumericArray(viewValue(bank, first));
  for (let r = 1; typed && r < n; r++) typed = shapeOf(bank, bank.slot(r, call), 0) === shapeOf(bank, first, 0);
  if (typed) {
    const v0 = viewValue(bank, first) as NumericArray;
    const acc = into && into.constructor === v0.constructor && into.length === v0.length ? into : (readValue(bank, first, 0) as NumericArray);
    if (acc === into) acc.set(v0 as never);
    for (let r = 1; r < n; r++) op.applyInto(acc, viewValue(bank, bank.slot(r, call)));
    return acc;
  }
  const merge = opMerge(op);
  let acc = readValue(bank, first, 0);
  for (let r = 1; r < n; r++) acc = merge(acc, readValue(bank, bank.slot(r, call), 0), false);
  return acc;
}

/** Below this a typed array always fits a slot: no exposure is prepared. */
const EXPOSABLE_BYTES = 16384;

// No closure in the small calls' path is named (assigned to a variable or a
// property): tsx's keepNames renames each such closure when it is made, a
// defineProperty that cost more than the rest of an 8-byte allgather.

export function allreduce(comm: Channel, value: unknown, op: Op, into: NumericArray | undefined, tag: number, fallback: Fallback<unknown>): Now<unknown> {
  const large = op.builtin && isNumericArray(value) && value.byteLength >= EXPOSABLE_BYTES ? new ChunkedAllreduce(value, op, into) : undefined;
  return everyoneWrites(comm, [value], tag, (bank, call) => fold(bank, call, comm.size, op, into), fallback, large);
}

/** A large allreduce's exposure: its result array is made when the value is exposed. */
class ChunkedAllreduce implements Exposure<unknown> {
  private out: NumericArray | undefined;
  private readonly value: NumericArray;
  private readonly op: Op;
  private readonly into: NumericArray | undefined;
  constructor(value: NumericArray, op: Op, into: NumericArray | undefined) {
    this.value = value;
    this.op = op;
    this.into = into;
  }
  write(bank: Bank, at: number): boolean {
    const v = this.value;
    // Every element is written: no zeroing (as index.ts newLike).
    this.out =
      this.into ??
      new (v.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => NumericArray)(
        Buffer.allocUnsafeSlow(v.byteLength).buffer,
        0,
        v.length,
      );
    return writeExposed(bank, at, v, this.out);
  }
  usable(bank: Bank, call: number, n: number): boolean {
    return allExposedAlike(bank, call, n);
  }
  run(comm: Channel, tag: number, bank: Bank, call: number): Now<unknown> {
    return exposedAllreduce(comm, tag, bank, call, this.value, this.op, this.out!);
  }
}

/** Every member waits for all (so all see a value too big); only the root folds. */
export function reduce(comm: Channel, value: unknown, op: Op, root: number, tag: number, fallback: Fallback<unknown>): Now<unknown> {
  return everyoneWrites(comm, [value], tag, (bank, call) => (comm.rank === root ? fold(bank, call, comm.size, op, undefined) : undefined), fallback);
}

function collect<T>(bank: Bank, call: number, n: number, me: number, own: T, index: number): T[] {
  const out = new Array<T>(n);
  for (let r = 0; r < n; r++) out[r] = r === me ? own : (readValue(bank, bank.slot(r, call), index) as T);
  return out;
}

/**
 * `value` may come later (a promise): communicator creation takes its place
 * among the collectives at the call and supplies its value once earlier
 * creations finish. The bank and the call's turn are taken now, in program
 * order, as every member takes them.
 */
export function allgather<T>(comm: Channel, value: T | Promise<T>, tag: number, fallback: Fallback<T[]>): Now<T[]> {
  const b = idleBank(comm);
  if (b !== undefined && !(value instanceof Promise)) return gatherCall(comm, b, b.calls++, tag, value, fallback);
  return onBank(
    comm,
    tag,
    (bank, call) =>
      value instanceof Promise
        ? track(
            bank,
            value.then((v) => gatherCall(comm, bank, call, tag, v, fallback)),
          )
        : gatherCall(comm, bank, call, tag, value, fallback),
    fallback,
  );
}

function gatherCall<T>(comm: Channel, bank: Bank, call: number, tag: number, value: T, fallback: Fallback<T[]>): Now<T[]> {
  return allWrite(comm, bank, call, tag, [value], (b, c) => collect(b, c, comm.size, comm.rank, value, 0), fallback, GATHERED as Exposure<T[]>);
}

/**
 * allgather of typed arrays too big for a slot: each such member exposes
 * its own, and every member copies it out (readValue reads an exposed slot
 * too); the call goes on so when no member's value is too big otherwise. A
 * member that exposed its value returns once every member read it.
 */
const GATHERED: Exposure<unknown> = {
  write: (bank, at, values) => writeExposed(bank, at, values[0]),
  usable: (bank, call, n) => noneTooBig(bank, call, n),
  run: (comm, tag, bank, call, read) => {
    const out = read(bank, call);
    bank.finish(call);
    if (exposedShape(bank, bank.slot(comm.rank, call)) < 0 || heldNow(comm, bank, call, READ)) return out;
    return later(comm, tag, bank, call, READ, () => out);
  },
};

export function gather<T>(comm: Channel, value: T, root: number, tag: number, fallback: Fallback<T[] | undefined>): Now<T[] | undefined> {
  return everyoneWrites(comm, [value], tag, (bank, call) => (comm.rank === root ? collect(bank, call, comm.size, root, value, 0) : undefined), fallback);
}

export function alltoall<T>(comm: Channel, values: T[], tag: number, fallback: Fallback<T[]>): Now<T[]> {
  return everyoneWrites(comm, values, tag, (bank, call) => collect(bank, call, comm.size, comm.rank, values[comm.rank]!, comm.rank), fallback);
}
