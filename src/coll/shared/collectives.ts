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
 * A result now, or its promise when a wait outlived its spin or the call
 * fell back to point to point. A small collective whose members are all
 * there runs start to end in the call (no promise, no turn through the
 * microtask queue: at a few hundred nanoseconds per collective those were
 * most of its cost). Results are data, never promises.
 */
export type Now<T> = T | Promise<T>;

/** A promise of a result given now or later (callers that chain stages). */
export function promised<T>(r: Now<T>): Promise<T> {
  return r instanceof Promise ? r : Promise.resolve(r);
}

/** `f` of a result given now or later: now when it is given now. */
export function thenNow<A, B>(r: Now<A>, f: (a: A) => B): Now<B> {
  return r instanceof Promise ? r.then(f) : f(r);
}

/** A collective's promise: its result given now or later, and an error it threw before its first wait as a rejection (as from an async function). */
export function settle<T>(call: () => Now<T>): Promise<T> {
  try {
    return promised(call());
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * Run `body` on the communicator's bank: now when the bank is agreed and no
 * earlier call of this rank is still running on it (calls must publish in
 * call order); after that call otherwise; or the fallback when the
 * communicator has no bank.
 */
function onBank<T>(comm: Channel, tag: number, body: (bank: Bank, call: number) => Now<T>, fallback: Fallback<T>): Now<T> {
  const b = bankOf(comm, tag);
  if (b === null) return fallback(undefined);
  if (b instanceof Promise) return b.then((bank) => (bank ? enter(bank, body) : fallback(undefined)));
  if (b.busy === undefined) return body(b, b.calls++);
  return enter(b, body);
}

function enter<T>(bank: Bank, body: (bank: Bank, call: number) => Now<T>): Promise<T> {
  const call = bank.calls++;
  const prev = bank.busy;
  const p = prev
    ? prev.then(
        () => body(bank, call),
        () => body(bank, call),
      )
    : promised(body(bank, call));
  // Whatever the body tracked (below) finishes before p: p is what later calls wait for.
  bank.busy = p;
  const clear = (): void => {
    if (bank.busy === p) bank.busy = undefined;
  };
  p.then(clear, clear);
  return p;
}

/**
 * A call that goes on after returning (a wait past its spin, a fallback):
 * later calls wait for it. A body run inside `enter`'s chain is tracked
 * there already (busy is set), and must not be tracked again: a later call
 * waiting for the body alone could publish before a call queued between.
 */
function track<T>(bank: Bank, p: Promise<T>): Promise<T> {
  if (bank.busy !== undefined) return p;
  bank.busy = p;
  const clear = (): void => {
    if (bank.busy === p) bank.busy = undefined;
  };
  p.then(clear, clear);
  return p;
}

/** `end()`'s result, tracked when it is a promise (a fallback). */
function ended<T>(bank: Bank, r: Now<T>): Now<T> {
  return r instanceof Promise ? track(bank, r) : r;
}

/**
 * When `ready()` holds (now, or within the spin and futex budget), run
 * `end` now; else wait (hang reports name the call meanwhile) and run it
 * then. `waitingFor` is the member waited for, or -1 for every member.
 */
function whenReady<T>(comm: Channel, tag: number, bank: Bank, ready: () => boolean, waitingFor: number, end: () => Now<T>): Now<T> {
  const w = ready() ? undefined : until(comm, bank, ready);
  if (!w) return ended(bank, end());
  const what = waitingFor < 0 ? "in shared memory, waiting for every member to arrive" : `in shared memory, waiting for rank ${waitingFor}`;
  return track(bank, reported(comm, tag, w, what)!.then(end));
}

/** Run `next` once this rank's slot for `call` may be rewritten (now, or later and tracked). */
function whenSlotFree<T>(comm: Channel, bank: Bank, call: number, next: () => Now<T>): Now<T> {
  const last = call - SLOTS;
  const free = last >= 0 && !bank.allFinished(last) ? until(comm, bank, () => bank.allFinished(last)) : undefined;
  return free ? track(bank, free.then(next)) : next();
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

export function barrier(comm: Channel, tag: number, fallback: Fallback<void>): Now<void> {
  return onBank(
    comm,
    tag,
    (bank, call) => {
      bank.arrive(call, tag);
      return whenReady(
        comm,
        tag,
        bank,
        () => bank.allArrived(call),
        -1,
        () => {
          sameCall(comm, bank, call, tag, -1);
          bank.finish(call);
        },
      );
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
): Now<T> {
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
    return whenReady(
      comm,
      tag,
      bank,
      () => bank.arrived(root, call),
      root,
      () => {
        sameCall(comm, bank, call, tag, root);
        const ok = fits(bank, at);
        const value = ok ? (readValue(bank, at, index) as T) : undefined;
        const needed = neededBytes(bank, at);
        bank.finish(call);
        return ok ? (value as T) : fallback(needed);
      },
    );
  }
  if (values instanceof Promise) return track(bank, values.then((v) => rootCall(comm, bank, call, v, root, index, own, tag, fallback)));
  if (own instanceof Promise) return track(bank, own.then((o) => rootCall(comm, bank, call, values, root, index, o, tag, fallback)));
  return whenSlotFree(comm, bank, call, () => {
    writeValues(bank, at, values);
    bank.arrive(call, tag);
    const ok = fits(bank, at);
    const needed = neededBytes(bank, at);
    bank.finish(call);
    return ended(bank, ok ? own : fallback(needed));
  });
}

/** `data` may be a promise (read on the root only): see rootWrites. */
export function bcast<T>(comm: Channel, data: T | undefined | Promise<T | undefined>, root: number, tag: number, fallback: Fallback<T>): Now<T> {
  return rootWrites(comm, data instanceof Promise ? data.then((d) => [d]) : [data], root, 0, data as T | Promise<T>, tag, fallback);
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
function everyoneWrites<T>(comm: Channel, values: ArrayLike<unknown>, tag: number, read: (bank: Bank, call: number) => T, fallback: Fallback<T>): Now<T> {
  return onBank(comm, tag, (bank, call) => allWrite(comm, bank, call, tag, values, read, fallback), fallback);
}

function allWrite<T>(
  comm: Channel,
  bank: Bank,
  call: number,
  tag: number,
  values: ArrayLike<unknown>,
  read: (bank: Bank, call: number) => T,
  fallback: Fallback<T>,
): Now<T> {
  return whenSlotFree(comm, bank, call, () => {
    writeValues(bank, bank.slot(comm.rank, call), values);
    bank.arrive(call, tag);
    return whenReady(
      comm,
      tag,
      bank,
      () => bank.allArrived(call),
      -1,
      () => {
        sameCall(comm, bank, call, tag, -1);
        const miss = largestMiss(bank, call, comm.size);
        const out = miss < 0 ? read(bank, call) : undefined;
        bank.finish(call);
        return miss < 0 ? (out as T) : fallback(miss);
      },
    );
  });
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

export function allreduce(comm: Channel, value: unknown, op: Op, into: NumericArray | undefined, tag: number, fallback: Fallback<unknown>): Now<unknown> {
  return everyoneWrites(comm, [value], tag, (bank, call) => fold(bank, call, comm.size, op, into), fallback);
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
  return onBank(
    comm,
    tag,
    (bank, call) => {
      const run = (v: T): Now<T[]> => allWrite(comm, bank, call, tag, [v], (b, c) => collect(b, c, comm.size, comm.rank, v, 0), fallback);
      return value instanceof Promise ? track(bank, value.then(run)) : run(value);
    },
    fallback,
  );
}

export function gather<T>(comm: Channel, value: T, root: number, tag: number, fallback: Fallback<T[] | undefined>): Now<T[] | undefined> {
  return everyoneWrites(comm, [value], tag, (bank, call) => (comm.rank === root ? collect(bank, call, comm.size, root, value, 0) : undefined), fallback);
}

export function alltoall<T>(comm: Channel, values: T[], tag: number, fallback: Fallback<T[]>): Now<T[]> {
  return everyoneWrites(comm, values, tag, (bank, call) => collect(bank, call, comm.size, comm.rank, values[comm.rank]!, comm.rank), fallback);
}
