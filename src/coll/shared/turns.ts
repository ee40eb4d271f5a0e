/**
 * How a shared-memory collective takes its turn on its communicator's bank
 * and waits for its members: calls publish in call order (one runs now when
 * the bank is idle, else after the previous one), a wait spins then blocks
 * on the segment and only past its budget goes through the event loop, and
 * what a member published is checked against the caller's call (the cheap
 * mismatch check, ../check.ts).
 */
import type { Channel } from "../channel.ts";
import { MpiError } from "../../errors.ts";
import { describeTag, SEQUENCE_MASK } from "../check.ts";
import { type Bank, bankOf, SLOTS } from "./bank.ts";
import { fits, neededBytes } from "./slots.ts";
import { spinThenBlock, waitFor } from "./wait.ts";

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

const NOTHING = Promise.resolve(undefined);

/**
 * settle for `call(a, b, c, d, e)`, with the arguments passed along rather
 * than caught in a closure: the collective entry points run it on every
 * call, and a closure per call was garbage.
 */
export function settleCall<A, B, C, D, E, T>(call: (a: A, b: B, c: C, d: D, e: E) => Now<T>, a: A, b: B, c?: C, d?: D, e?: E): Promise<T> {
  try {
    const r = call(a, b, c as C, d as D, e as E);
    // No result (a barrier, a member's reduce): one settled promise serves every call.
    return r === undefined ? (NOTHING as Promise<T>) : promised(r);
  } catch (err) {
    return Promise.reject(err);
  }
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
export function onBank<T>(comm: Channel, tag: number, body: (bank: Bank, call: number) => Now<T>, fallback: Fallback<T>): Now<T> {
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
  return busyWith(bank, p);
}

/** Later calls on the bank wait for `p`, until it settles. */
function busyWith<T>(bank: Bank, p: Promise<T>): Promise<T> {
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
export function track<T>(bank: Bank, p: Promise<T>): Promise<T> {
  return bank.busy !== undefined ? p : busyWith(bank, p);
}

/** `end()`'s result, tracked when it is a promise (a fallback). */
export function ended<T>(bank: Bank, r: Now<T>): Now<T> {
  return r instanceof Promise ? track(bank, r) : r;
}

/** What a member waits for (`on`): every member's part of a call, one member's (its rank), or every member done reading a call. */
export const EVERYONE = -1;
export const READ = -2;
export const REACHED = -3;

function holds(bank: Bank, call: number, on: number): boolean {
  return on === EVERYONE ? bank.allArrived(call) : on === READ ? bank.allFinished(call) : on === REACHED ? bank.allReached(call) : bank.arrived(on, call);
}

/**
 * The synchronous spin's test, one per bank and reused: a wait that ends
 * while spinning allocates nothing. It polls the transports now and then,
 * since nothing else reads frames while a rank spins here, to hear a
 * member's mismatch notice (guard.ts).
 */
class Watch {
  call = 0;
  on = 0;
  looks = 0;
  readonly comm: Channel;
  readonly bank: Bank;
  constructor(comm: Channel, bank: Bank) {
    this.comm = comm;
    this.bank = bank;
  }
  readonly test = (): boolean => {
    if (holds(this.bank, this.call, this.on)) return true;
    if ((++this.looks & POLL_EVERY) === 0) this.comm.poll?.();
    return this.comm.broken !== undefined;
  };
}

/**
 * True when the awaited state holds now or within the spin and futex
 * budget; false when the caller must wait asynchronously (`later`). Throws
 * when the communicator broke meanwhile.
 */
export function heldNow(comm: Channel, bank: Bank, call: number, on: number): boolean {
  if (holds(bank, call, on)) return true;
  let w = bank.watch as Watch | undefined;
  if (w === undefined) bank.watch = w = new Watch(comm, bank);
  w.call = call;
  w.on = on;
  w.looks = 0;
  const held = spinThenBlock(bank.segment, w.test);
  failIfBroken(comm);
  return held;
}

/** Wait for the awaited state through the event loop (hang reports name the call meanwhile), then run `end`; later calls wait for it. */
export function later<T>(comm: Channel, tag: number, bank: Bank, call: number, on: number, end: () => Now<T>): Promise<T> {
  const w = until(comm, bank, () => holds(bank, call, on));
  if (!w) return track(bank, promised(end()));
  const what =
    on === EVERYONE
      ? "in shared memory, waiting for every member to arrive"
      : on === READ
        ? "in shared memory, waiting for every member to finish reading"
        : on === REACHED
          ? "in shared memory, waiting for every member to reduce its part"
          : `in shared memory, waiting for rank ${on}`;
  return track(bank, reported(comm, tag, w, what)!.then(end));
}

/** This rank's slot for `call` may be rewritten now (or within the spin): every member finished reading it SLOTS calls ago. */
export function slotFreeNow(comm: Channel, bank: Bank, call: number): boolean {
  return call < SLOTS || heldNow(comm, bank, call - SLOTS, READ);
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
export function largestMiss(bank: Bank, call: number, members: number): number {
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
export function sameCall(comm: Channel, bank: Bank, call: number, tag: number, from: number): void {
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

