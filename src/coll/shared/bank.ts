/**
 * Where a communicator's shared-memory collectives live in the VM's segment
 * (the transport's SharedSegment), and how its members agree on it.
 *
 * The segment is cut into BANKS banks; each bank holds one region per local
 * rank: a control block (two counters on their own cache lines) and SLOTS
 * data slots used in turn, as Open MPI's coll/sm keeps per-rank flags and
 * a multi-buffered data segment: a root may run SLOTS calls ahead of the
 * slowest reader (back-to-back broadcasts do not wait for every member). A communicator uses one bank; a rank
 * writes only its own region and reads its peers'. Communicators that share
 * a member never share a bank (each member proposes only banks none of its
 * communicators holds); communicators with no member in common may, since
 * their regions differ.
 *
 * The bank is agreed on the communicator's first shared-memory collective:
 * one linear allreduce (AND) of each member's free banks over the collective
 * context. A rank whose segment lacks a member, or that has no segment, or
 * no free bank, proposes none, so every member learns together that this
 * call falls back to point-to-point algorithms. Banks a rank is offering to
 * another communicator's agreement still in flight are not offered again
 * (two agreements must not both win one), so first calls on several new
 * communicators at once may find nothing in common: the members then try
 * again on later calls, ATTEMPTS times in all, then fall back for good.
 * Banks are never returned: communicators are never freed in this API.
 */
import type { AnyTypedArray } from "../../core/payload.ts";
import type { SharedSegment } from "../../transport/contract.ts";
import type { Channel } from "../channel.ts";
import { type CollMemo, memoOf } from "../memo.ts";
import { linearAll, recursiveDoubling } from "../reduce.ts";

/** Up to this many members the agreement is one all-to-all step (the collectives' small-communicator threshold, rules.json). */
const LINEAR_AGREEMENT = 8;

/** Banks per segment: communicators per rank that can use shared-memory collectives. */
export const BANKS = 8;
/** Data slots per member and bank, used by calls in turn (a power of two). */
export const SLOTS = 8;
/**
 * Control block: ARRIVE (int 0) with the tag of each slot's call after it
 * (ints 1…SLOTS), then DONE and PHASE on lines of their own.
 */
const ARRIVE = 0;
const TAGS = 1;
const DONE = (TAGS + SLOTS + 15) & ~15;
/** A step inside a call (exposed.ts: this member's part of the reduction is done). */
const PHASE = DONE + 16;
const CONTROL_BYTES = (PHASE + 16) * 4;
/** Entries of a bank's cache of views (a prime, well above the slots a bank has among few members). */
export const VIEW_KEYS = 1021;
/** Below this a slot is useless (the values would never fit): no shared-memory collectives. */
const MIN_SLOT_BYTES = 1024;

/** A communicator's bank, as one member sees it. */
export class Bank {
  readonly segment: SharedSegment;
  readonly words: Int32Array;
  readonly bytes: Uint8Array;
  readonly doubles: Float64Array;
  /** The segment as a typed array of each payload kind, made on first use (slots.ts); null for kinds that are not typed arrays. */
  readonly wholes: (AnyTypedArray | null | undefined)[] = [];
  /** Views on typed values read in place, by a hash of the slot (slots.ts viewValue): small reductions make none per call. */
  readonly views: (AnyTypedArray | undefined)[] = new Array(VIEW_KEYS).fill(undefined);
  readonly slotBytes: number;
  /** World rank of each member (to notify it). */
  readonly members: Int32Array;
  /** Int index of each member's control block, by communicator rank. */
  private readonly control: Int32Array;
  /** Byte offset of each member's region, by communicator rank. */
  private readonly region: Int32Array;
  readonly me: number;
  /** Calls made on this bank so far: every member makes them in the same order. */
  calls = 0;
  /** The waiting code's reusable state (collectives.ts), kept with the bank it watches. */
  watch: unknown;
  /** The previous call while it is still running: calls run one after another. */
  busy: Promise<unknown> | undefined;

  constructor(segment: SharedSegment, bank: number, comm: Channel) {
    const k = segment.ranks.length;
    const regionBytes = regionBytesOf(segment);
    this.segment = segment;
    this.words = new Int32Array(segment.buffer);
    this.bytes = new Uint8Array(segment.buffer);
    this.doubles = new Float64Array(segment.buffer, 0, segment.buffer.byteLength >> 3);
    this.slotBytes = slotBytesOf(regionBytes);
    this.members = comm.members;
    this.me = comm.rank;
    this.control = new Int32Array(comm.size);
    this.region = new Int32Array(comm.size);
    for (let r = 0; r < comm.size; r++) {
      const local = segment.ranks.indexOf(comm.members[r]!);
      this.region[r] = (bank * k + local) * regionBytes;
      this.control[r] = this.region[r]! >> 2;
    }
  }

  /** Byte offset of member `r`'s slot for call `call`. */
  slot(r: number, call: number): number {
    return this.region[r]! + CONTROL_BYTES + (call & (SLOTS - 1)) * this.slotBytes;
  }

  /** Member `r` has written its part of call `call`. */
  arrived(r: number, call: number): boolean {
    return Atomics.load(this.words, this.control[r]! + ARRIVE) > call;
  }

  /** Every member has arrived at (or finished) call `call`. */
  allArrived(call: number): boolean {
    return this.every(ARRIVE, call);
  }

  allFinished(call: number): boolean {
    return this.every(DONE, call);
  }

  /** Every member's counter at `offset` has passed `call`. */
  private every(offset: number, call: number): boolean {
    for (let r = 0; r < this.members.length; r++) if (Atomics.load(this.words, this.control[r]! + offset) <= call) return false;
    return true;
  }

  /** The tag member `r` published with its part of `call` (read after it arrived; SLOTS calls later it is reused). */
  tagOf(r: number, call: number): number {
    return Atomics.load(this.words, this.control[r]! + TAGS + (call & (SLOTS - 1)));
  }

  /** Publish this member's part of `call` (its slot is written) under the call's `tag`, and wake whoever waits. */
  arrive(call: number, tag: number): void {
    Atomics.store(this.words, this.control[this.me]! + TAGS + (call & (SLOTS - 1)), tag);
    Atomics.store(this.words, this.control[this.me]! + ARRIVE, call + 1);
    this.notifyAll();
  }

  /** Every member has done the middle step of call `call` (exposed.ts). */
  allReached(call: number): boolean {
    return this.every(PHASE, call);
  }

  /** This member has done the middle step of `call`. */
  reach(call: number): void {
    Atomics.store(this.words, this.control[this.me]! + PHASE, call + 1);
    this.notifyAll();
  }

  /** This member is done reading `call`: its peers may reuse their slots. */
  finish(call: number): void {
    Atomics.store(this.words, this.control[this.me]! + DONE, call + 1);
    this.notifyAll();
  }

  private notifyAll(): void {
    for (let r = 0; r < this.members.length; r++) if (r !== this.me) this.segment.notify(this.members[r]!);
  }
}

function regionBytesOf(segment: SharedSegment): number {
  return Math.floor(segment.buffer.byteLength / (segment.ranks.length * BANKS)) & ~127;
}

function slotBytesOf(regionBytes: number): number {
  return Math.floor((regionBytes - CONTROL_BYTES) / SLOTS) & ~7;
}

/** Per segment (so per rank: each rank opens its own transport): banks held and banks proposed. */
const holdings = new WeakMap<SharedSegment, { used: number; proposed: number }>();

/** Offer bit: this member shares a segment with every other member (bank bits are below it). */
const SHAREABLE = 1 << 30;
/** Agreements a communicator may run before it falls back for good. */
const ATTEMPTS = 4;

/** A communicator's bank; null (for good); a number of failed agreements (try again); or an agreement under way. */
type Bound = Bank | null | number | Promise<Bank | null> | undefined;

/**
 * The communicator's bank, or null when it cannot use shared memory; a
 * promise on the first call (the agreement, which uses `tag`). Collective:
 * every member calls it for the same collective call.
 */
export function bankOf(comm: Channel, tag: number): Bank | null | Promise<Bank | null> {
  const memo = memoOf(comm);
  const known = memo.bank as Bound;
  if (known !== undefined && typeof known !== "number") return known;
  const p = agree(comm, tag, (known ?? 0) + 1);
  memo.bank = p;
  return p;
}

/** The bank if agreed already and no earlier call still runs on it: a call may run on it now (turns.ts). */
export function idleBank(comm: Channel): Bank | undefined {
  const b = (comm.collMemo as CollMemo | undefined)?.bank;
  return b instanceof Bank && b.busy === undefined ? b : undefined;
}

/** The bank if agreed already (hierarchical algorithms check without agreeing). */
export function knownBank(comm: Channel): Bank | null | undefined {
  const b = memoOf(comm).bank as Bound;
  return b instanceof Promise || typeof b === "number" ? undefined : b;
}

async function agree(comm: Channel, tag: number, attempt: number): Promise<Bank | null> {
  const seg = comm.segment;
  const usable =
    seg !== undefined && comm.size > 1 && slotBytesOf(regionBytesOf(seg)) >= MIN_SLOT_BYTES && [...comm.members].every((w) => seg.ranks.includes(w));
  let hold = seg ? holdings.get(seg) : undefined;
  if (seg && !hold) holdings.set(seg, (hold = { used: 0, proposed: 0 }));
  // Banks proposed for another communicator whose agreement is still running
  // are left out, so two agreements in flight on this rank never both win one.
  const banks = usable && hold ? ~(hold.used | hold.proposed) & ((1 << BANKS) - 1) : 0;
  if (hold) hold.proposed |= banks;
  // One step among few ranks; log2 n steps among many (linear is n² messages: a million on a 1024-rank simulation).
  const agreeOn = comm.size <= LINEAR_AGREEMENT ? linearAll : recursiveDoubling;
  const common = (await agreeOn(comm, usable ? banks | SHAREABLE : 0, (a, b) => (a as number) & (b as number), tag)) as number;
  if (hold) hold.proposed &= ~banks;
  let bank: Bank | null = null;
  const free = common & ~SHAREABLE;
  if (free !== 0 && hold && seg) {
    const b = 31 - Math.clz32(free & -free);
    hold.used |= 1 << b;
    bank = new Bank(seg, b, comm);
  }
  // Every member saw the same result, so every member tries again (or not) alike;
  // a member that cannot share at all (no segment, a member elsewhere) ends it now.
  memoOf(comm).bank = bank ?? (attempt < ATTEMPTS && common & SHAREABLE ? attempt : null);
  return bank;
}
