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
 * Values that do not fit a slot are marked TOO_BIG with their size; every
 * member sees the marks of the members it depends on, so they all fall back
 * together to the point-to-point algorithm the rules pick for the largest
 * size (`fallback`), on the call's tag. Reductions fold in rank order, so
 * every member computes the same bits even for floating-point sums.
 */
import type { Channel } from "../channel.ts";
import type { Op } from "../op.ts";
import { MpiError } from "../../errors.ts";
import { describeTag, SEQUENCE_MASK } from "../check.ts";
import { opMerge } from "../reduce.ts";
import { isNumericArray, type NumericArray } from "../values.ts";
import { type Bank, bankOf, SLOTS } from "./bank.ts";
import { fits, neededBytes, readValue, shapeOf, viewValue, writeValues } from "./slots.ts";
import { waitFor } from "./wait.ts";

/**
 * Run a point-to-point algorithm instead: chosen for `bytes`, the largest
 * size any member needed, which every member knows; or, when the
 * communicator has no bank (undefined), the way it would be without "sm".
 */
export type Fallback<T> = (bytes: number | undefined) => Promise<T>;

/**
 * Run `body` on the communicator's bank, after this rank's previous call on
 * it (calls must publish in call order); or the fallback when the
 * communicator has no bank.
 */
function onBank<T>(comm: Channel, tag: number, body: (bank: Bank, call: number) => Promise<T>, fallback: Fallback<T>): Promise<T> {
  const b = bankOf(comm, tag);
  if (b === null) return fallback(undefined);
  if (b instanceof Promise) return b.then((bank) => (bank ? enter(bank, body) : fallback(undefined)));
  return enter(b, body);
}

function enter<T>(bank: Bank, body: (bank: Bank, call: number) => Promise<T>): Promise<T> {
  const call = bank.calls++;
  const prev = bank.busy;
  const p = prev
    ? prev.then(
        () => body(bank, call),
        () => body(bank, call),
      )
    : body(bank, call);
  bank.busy = p;
  const clear = (): void => {
    if (bank.busy === p) bank.busy = undefined;
  };
  p.then(clear, clear);
  return p;
}

/** Wait until my slot may be rewritten: every member finished reading it SLOTS calls ago (undefined: now). */
function slotFree(comm: Channel, bank: Bank, call: number): Promise<void> | undefined {
  const last = call - SLOTS;
  return last >= 0 && !bank.allFinished(last) ? until(comm, bank, () => bank.allFinished(last)) : undefined;
}

/** Looks at the counters between polls of the transports while waiting (a power of two, minus one). */
const POLL_EVERY = 63;

/**
 * Wait until `ready()`, or until the communicator breaks (a member found the
 * collectives mismatched: guard.ts), then fail with its error: a member
 * waiting for a peer that is in another call never waits for the hang watch.
 */
function until(comm: Channel, bank: Bank, ready: () => boolean): Promise<void> | undefined {
  // Nothing else reads frames while a rank waits here: poll now and then for a member's notice.
  let looks = 0;
  const poll = comm.poll;
  const heard = (): boolean => {
    if ((++looks & POLL_EVERY) === 0 && poll) poll.call(comm);
    return comm.broken !== undefined;
  };
  const w = waitFor(bank.segment, () => ready() || heard());
  if (!w) return failIfBroken(comm);
  return w.then(() => failIfBroken(comm));
}

function failIfBroken(comm: Channel): undefined {
  const e = comm.brokenCall?.();
  if (e) throw e;
  return undefined;
}

/** A wait that outlived its spin and futex budget: hang reports count the rank as blocked in the call meanwhile. */
function reported(comm: Channel, tag: number, wait: Promise<void> | undefined, what: string): Promise<void> | undefined {
  if (!wait || !comm.waitingOn) return wait;
  const done = comm.waitingOn(tag, what);
  return wait.finally(done);
}

function allArrived(comm: Channel, tag: number, bank: Bank, call: number): Promise<void> | undefined {
  if (bank.allArrived(call)) return undefined;
  return reported(comm, tag, until(comm, bank, () => bank.allArrived(call)), "in shared memory, waiting for every member to arrive");
}

function rootArrived(comm: Channel, tag: number, bank: Bank, root: number, call: number): Promise<void> | undefined {
  if (bank.arrived(root, call)) return undefined;
  return reported(comm, tag, until(comm, bank, () => bank.arrived(root, call)), `in shared memory, waiting for rank ${root}`);
}

/** The largest size any member needed, or -1 when every member's values fit. */
function largestMiss(bank: Bank, call: number, members: number): number {
  let worst = -1;
  for (let r = 0; r < members; r++) {
    const at = bank.slot(r, call);
    if (!fits(bank, at)) worst = Math.max(worst, neededBytes(bank, at));
  }
  return worst;
}

/**
 * The cheap collective check in shared memory (../check.ts): members publish
 * their call's tag, which carries its kind, root and op, beside their part.
 * Throws ERR_COLL_MISMATCH (after finishing the call, so the bank stays in
 * step) when one of `from` published a different call at the same sequence
 * number; a tag of another sequence number was overwritten by a later call
 * and says nothing.
 */
function sameCall(comm: Channel, bank: Bank, call: number, tag: number, from: number): void {
  for (let r = from < 0 ? 0 : from; r < (from < 0 ? comm.size : from + 1); r++) {
    const theirs = bank.tagOf(r, call);
    if (theirs === tag || (theirs & SEQUENCE_MASK) !== (tag & SEQUENCE_MASK)) continue;
    bank.finish(call);
    const e = new MpiError(
      "ERR_COLL_MISMATCH",
      `rank ${comm.rank} called ${describeTag(tag, "collective")} where rank ${r} called ${describeTag(theirs, "collective")}; every rank must call the same collectives in the same order, with the same root, op and algorithm`,
    );
    // Every member hears of it, not only those that read this member's part.
    comm.mismatched?.(e);
    throw comm.brokenCall?.() ?? e;
  }
}

export function barrier(comm: Channel, tag: number, fallback: Fallback<void>): Promise<void> {
  return onBank(
    comm,
    tag,
    async (bank, call) => {
      bank.arrive(call, tag);
      const w = allArrived(comm, tag, bank, call);
      if (w) await w;
      sameCall(comm, bank, call, tag, -1);
      bank.finish(call);
    },
    fallback,
  );
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
): Promise<T> {
  return onBank(
    comm,
    tag,
    async (bank, call) => {
      const me = comm.rank;
      const at = bank.slot(root, call);
      if (me === root) {
        const list = values instanceof Promise ? await values : values;
        if (own instanceof Promise) own = await own;
        const free = slotFree(comm, bank, call);
        if (free) await free;
        writeValues(bank, at, list);
      }
      bank.arrive(call, tag);
      const w = me === root ? undefined : rootArrived(comm, tag, bank, root, call);
      if (w) await w;
      if (me !== root) sameCall(comm, bank, call, tag, root);
      const ok = fits(bank, at);
      const value = me === root ? (own as T) : ok ? (readValue(bank, at, index) as T) : undefined;
      const needed = neededBytes(bank, at);
      bank.finish(call);
      return ok ? (value as T) : fallback(needed);
    },
    fallback,
  );
}

/** `data` may be a promise (read on the root only): see rootWrites. */
export function bcast<T>(comm: Channel, data: T | undefined | Promise<T | undefined>, root: number, tag: number, fallback: Fallback<T>): Promise<T> {
  return rootWrites(comm, data instanceof Promise ? data.then((d) => [d]) : [data], root, 0, data as T | Promise<T>, tag, fallback);
}

/** The root writes one value per member; each reads its own. */
export function scatter<T>(comm: Channel, values: T[] | undefined, root: number, tag: number, fallback: Fallback<T>): Promise<T> {
  const mine = comm.rank === root;
  return rootWrites(comm, mine ? values! : [], root, comm.rank, (mine ? values![root] : undefined) as T, tag, fallback);
}

/**
 * Every member writes its values and waits for all (so all see any value
 * too big); `read` runs while the slots are still held.
 */
function everyoneWrites<T>(comm: Channel, values: ArrayLike<unknown>, tag: number, read: (bank: Bank, call: number) => T, fallback: Fallback<T>): Promise<T> {
  return onBank(comm, tag, (bank, call) => allWrite(comm, bank, call, tag, values, read, fallback), fallback);
}

async function allWrite<T>(
  comm: Channel,
  bank: Bank,
  call: number,
  tag: number,
  values: ArrayLike<unknown>,
  read: (bank: Bank, call: number) => T,
  fallback: Fallback<T>,
): Promise<T> {
  const free = slotFree(comm, bank, call);
  if (free) await free;
  writeValues(bank, bank.slot(comm.rank, call), values);
  bank.arrive(call, tag);
  const w = allArrived(comm, tag, bank, call);
  if (w) await w;
  sameCall(comm, bank, call, tag, -1);
  const miss = largestMiss(bank, call, comm.size);
  const out = miss < 0 ? read(bank, call) : undefined;
  bank.finish(call);
  return miss < 0 ? (out as T) : fallback(miss);
}

/** Fold every member's value in rank order (the same bits everywhere). */
function fold(bank: Bank, call: number, n: number, op: Op, into: NumericArray | undefined): unknown {
  const first = bank.slot(0, call);
  let typed = op.builtin && isNumericArray(viewValue(bank, first, 0));
  for (let r = 1; typed && r < n; r++) typed = shapeOf(bank, bank.slot(r, call), 0) === shapeOf(bank, first, 0);
  if (typed) {
    const v0 = viewValue(bank, first, 0) as NumericArray;
    const acc = into && into.constructor === v0.constructor && into.length === v0.length ? into : (readValue(bank, first, 0) as NumericArray);
    if (acc === into) acc.set(v0 as never);
    for (let r = 1; r < n; r++) op.applyInto(acc, viewValue(bank, bank.slot(r, call), 0));
    return acc;
  }
  const merge = opMerge(op);
  let acc = readValue(bank, first, 0);
  for (let r = 1; r < n; r++) acc = merge(acc, readValue(bank, bank.slot(r, call), 0), false);
  return acc;
}

export function allreduce(comm: Channel, value: unknown, op: Op, into: NumericArray | undefined, tag: number, fallback: Fallback<unknown>): Promise<unknown> {
  return everyoneWrites(comm, [value], tag, (bank, call) => fold(bank, call, comm.size, op, into), fallback);
}

/** Every member waits for all (so all see a value too big); only the root folds. */
export function reduce(comm: Channel, value: unknown, op: Op, root: number, tag: number, fallback: Fallback<unknown>): Promise<unknown> {
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
export function allgather<T>(comm: Channel, value: T | Promise<T>, tag: number, fallback: Fallback<T[]>): Promise<T[]> {
  return onBank(
    comm,
    tag,
    async (bank, call) => {
      const v = value instanceof Promise ? await value : value;
      return allWrite(comm, bank, call, tag, [v], (b, c) => collect(b, c, comm.size, comm.rank, v, 0), fallback);
    },
    fallback,
  );
}

export function gather<T>(comm: Channel, value: T, root: number, tag: number, fallback: Fallback<T[] | undefined>): Promise<T[] | undefined> {
  return everyoneWrites(comm, [value], tag, (bank, call) => (comm.rank === root ? collect(bank, call, comm.size, root, value, 0) : undefined), fallback);
}

export function alltoall<T>(comm: Channel, values: T[], tag: number, fallback: Fallback<T[]>): Promise<T[]> {
  return everyoneWrites(comm, values, tag, (bank, call) => collect(bank, call, comm.size, comm.rank, values[comm.rank]!, comm.rank), fallback);
}
