/**
 * Per-communicator matching state: the posted-receive queue and the
 * unexpected-message queue, both searched in the order entries were added, and
 * the per-source sequence numbers that keep MPI's non-overtaking rule whatever
 * order frames arrive in (ob1's expected_sequence / frags_cant_match).
 *
 * One MatchingContext exists per context id; a communicator owns two (its
 * point-to-point context and its collective context), so collective traffic
 * can never match a user receive.
 */
import { ANY_SOURCE, ANY_TAG } from "../constants.ts";
import { MpiError } from "../errors.ts";

/** An envelope that arrived before a receive matched it. */
export interface UnexpectedMessage {
  source: number;
  tag: number;
  kind: number;
  totalBytes: number;
  /** World rank of the sender (where to answer a rendezvous). */
  worldSource: number;
  /** Eager: the payload, copied out of transport memory. Rendezvous: undefined. */
  eagerBytes: Uint8Array | undefined;
  /** Rendezvous: the sender's request id. */
  senderRequest: number;
  rendezvous: boolean;
  /** Rendezvous: a handle through which the payload may be copied directly (single copy). */
  exposed: bigint | undefined;
}

/** What a posted receive needs for matching; the protocol layer extends it. */
export interface PostedMatch {
  source: number;
  tag: number;
}

/** Does a receive's tag take a message's tag? ANY_TAG takes user tags only (>= 0); negative tags are internal. */
const tagTakes = (wantTag: number, tag: number): boolean => (wantTag === ANY_TAG ? tag >= 0 : wantTag === tag);

export function envelopeMatches(wantSource: number, wantTag: number, source: number, tag: number): boolean {
  return (wantSource === ANY_SOURCE || wantSource === source) && tagTakes(wantTag, tag);
}

/** A frame that arrived ahead of its turn, kept (copied) until its predecessors arrive. */
export interface HeldFrame {
  worldSource: number;
  frame: Uint8Array;
}


/**
 * A FIFO of entries with the order numbers they were added with, in
 * [head, tail) of arrays that keep their length (a bin that empties and
 * refills, as an all-to-all's do, then allocates nothing). Entries leave from
 * the middle only when tags differ (a tag-selective receive).
 */
class Bin<T> {
  items: (T | undefined)[] = [];
  order: number[] = [];
  head = 0;
  tail = 0;

  get size(): number {
    return this.tail - this.head;
  }

  push(item: T, order: number): void {
    const t = this.tail++;
    if (t < this.items.length) {
      this.items[t] = item;
      this.order[t] = order;
    } else {
      this.items.push(item);
      this.order.push(order);
    }
  }

  remove(i: number): T {
    const items = this.items;
    const item = items[i]!;
    if (i === this.head) {
      items[i] = undefined;
      this.head++;
    } else {
      const order = this.order;
      const last = this.tail - 1;
      for (let k = i; k < last; k++) {
        items[k] = items[k + 1];
        order[k] = order[k + 1]!;
      }
      items[last] = undefined;
      this.tail = last;
    }
    if (this.head === this.tail) this.head = this.tail = 0;
    return item;
  }

  clear(): void {
    this.items.fill(undefined);
    this.head = this.tail = 0;
  }
}

/** Index of the first receive in `bin` that takes a message tagged `tag`, or -1. */
function firstPosted<P extends PostedMatch>(bin: Bin<P> | undefined, tag: number): number {
  if (!bin) return -1;
  const items = bin.items;
  for (let i = bin.head, end = bin.tail; i < end; i++) if (tagTakes(items[i]!.tag, tag)) return i;
  return -1;
}

/** Index of the first message in `bin` a receive for `wantTag` takes, or -1. */
function firstUnexpected(bin: Bin<UnexpectedMessage> | undefined, wantTag: number): number {
  if (!bin) return -1;
  const items = bin.items;
  for (let i = bin.head, end = bin.tail; i < end; i++) if (tagTakes(wantTag, items[i]!.tag)) return i;
  return -1;
}

/**
 * What a context keeps about one peer, in one record made on first use: the
 * sequence numbers both ways and that source's bins. A rank looks up a peer
 * on every message it sends or receives; one array of records rather than
 * four arrays of np entries each keeps that to one cache line and one page
 * (at 1024 ranks, every rank's np-long arrays were a TLB miss each).
 */
class Peer<P> {
  /** Next sequence number expected from this source. */
  expected = 0;
  /** Next sequence number to stamp on a message to this destination. */
  nextSend = 0;
  /**
   * The oldest receive posted for this source, kept here rather than in
   * `posted` while it is the only one or came before all of `posted` (an
   * all-to-all posts one receive per peer): an arrival then reads the record
   * and the receive, not a bin and its arrays too (two cache misses fewer
   * per message once a round over all ranks no longer fits the caches).
   */
  first: P | undefined = undefined;
  firstOrder = 0;
  /** The receives posted after `first` (or all of them once `first` was taken while these waited). */
  posted: Bin<P> | undefined = undefined;
  unexpected: Bin<UnexpectedMessage> | undefined = undefined;
}

/**
 * Posted receives and unexpected messages are kept in one bin per source
 * (plus one for ANY_SOURCE receives), each entry numbered in the order it was
 * added, so an arrival looks only at its source's receives and the wildcard
 * ones, and the lower number wins: the same answer as one list searched in
 * posting order (MPI's rule), without scanning every other source's entries
 * (an all-to-all posts one receive per peer). test/core/matching.test.ts checks
 * it against that list.
 */
export class MatchingContext<P extends PostedMatch> {
  readonly id: number;
  /** Ranks in the communicator (sources and destinations are below it). */
  readonly size: number;
  /** Names what a receive with this tag belongs to in reports (a collective context names the collective call). */
  describeTag: ((tag: number) => string) | undefined;
  /** Told of every message no posted receive took (a collective context checks its calls' tags: src/coll/guard.ts). */
  watch: ((m: UnexpectedMessage) => void) | undefined;
  /**
   * Set when the context is broken (ranks called mismatched collectives):
   * every receive posted on it fails with this error, and arrivals are dropped.
   */
  broken: MpiError | undefined;
  private readonly peers: (Peer<P> | undefined)[];
  private readonly postedAny = new Bin<P>();
  private postOrder = 0;
  /** Sources with unexpected messages (what an ANY_SOURCE receive searches). */
  private readonly unexpectedFrom = new Set<number>();
  private arrivalOrder = 0;
  /** The source bin locateUnexpected found its message in (a field, so the hot path returns one number). */
  private found = 0;
  /** Out-of-order arrivals by source, keyed by sequence number. */
  private held: Map<number, Map<number, HeldFrame>> | undefined;

  constructor(id: number, size: number) {
    this.id = id;
    this.size = size;
    this.peers = new Array<Peer<P> | undefined>(size).fill(undefined);
  }

  private peer(rank: number): Peer<P> {
    return (this.peers[rank] ??= new Peer<P>());
  }

  /** The sequence number to stamp on the next message to `dest` (and count it). */
  stampNext(dest: number): number {
    const p = this.peer(dest);
    const sequence = p.nextSend;
    p.nextSend = (sequence + 1) >>> 0;
    return sequence;
  }

  /** Add a receive (source may be ANY_SOURCE) after every one posted before it. */
  post(p: P): void {
    const order = this.postOrder++;
    if (p.source === ANY_SOURCE) {
      this.postedAny.push(p, order);
      return;
    }
    const peer = this.peer(p.source);
    if (peer.first === undefined && (peer.posted === undefined || peer.posted.size === 0)) {
      peer.first = p;
      peer.firstOrder = order;
      return;
    }
    (peer.posted ??= new Bin<P>()).push(p, order);
  }

  /** Take the first posted receive that matches a message from `source` with `tag`, in posting order. */
  takePosted(source: number, tag: number): P | undefined {
    const peer = this.peers[source];
    const any = this.postedAny;
    const j = any.size > 0 ? firstPosted(any, tag) : -1;
    // `first` is older than everything in the source's bin: when it takes the tag it is the source's match.
    const first = peer?.first;
    if (first !== undefined && tagTakes(first.tag, tag)) {
      if (j >= 0 && any.order[j]! < peer!.firstOrder) return any.remove(j);
      peer!.first = undefined;
      return first;
    }
    const bin = peer?.posted;
    const i = firstPosted(bin, tag);
    if (i < 0) return j < 0 ? undefined : any.remove(j);
    if (j >= 0 && any.order[j]! < bin!.order[i]!) return any.remove(j);
    return bin!.remove(i);
  }

  /** The posted receives in posting order (reports, tests). */
  postedInOrder(): P[] {
    const all: { p: P; order: number }[] = [];
    for (const peer of this.peers) if (peer?.first !== undefined) all.push({ p: peer.first, order: peer.firstOrder });
    for (const bin of [...this.peers.map((p) => p?.posted), this.postedAny]) {
      if (bin) for (let i = bin.head; i < bin.tail; i++) all.push({ p: bin.items[i]!, order: bin.order[i]! });
    }
    return all.sort((a, b) => a.order - b.order).map((e) => e.p);
  }

  /** Remove and return every posted receive, in posting order (the job is failing). */
  takeAllPosted(): P[] {
    const all = this.postedInOrder();
    for (const p of this.peers) {
      if (p) p.first = undefined;
      p?.posted?.clear();
    }
    this.postedAny.clear();
    return all;
  }

  /** Keep a message no receive matched, after every one that arrived before it. */
  addUnexpected(m: UnexpectedMessage): void {
    const peer = this.peer(m.source);
    const bin = (peer.unexpected ??= new Bin<UnexpectedMessage>());
    if (bin.size === 0) this.unexpectedFrom.add(m.source);
    bin.push(m, this.arrivalOrder++);
  }

  /** Index of the earliest-arrived unexpected message a receive for (source, tag) matches (-1: none), in bin `found`. */
  private locateUnexpected(source: number, tag: number): number {
    if (source !== ANY_SOURCE) {
      const i = firstUnexpected(this.peers[source]?.unexpected, tag);
      this.found = source;
      return i;
    }
    let best = -1;
    let bestOrder = Number.POSITIVE_INFINITY;
    for (const s of this.unexpectedFrom) {
      const bin = this.peers[s]!.unexpected!;
      const i = firstUnexpected(bin, tag);
      if (i >= 0 && bin.order[i]! < bestOrder) {
        best = i;
        bestOrder = bin.order[i]!;
        this.found = s;
      }
    }
    return best;
  }

  /** The earliest-arrived unexpected message a receive for (source, tag) would match (left in place). */
  findUnexpected(source: number, tag: number): UnexpectedMessage | undefined {
    const i = this.locateUnexpected(source, tag);
    return i >= 0 ? this.peers[this.found]!.unexpected!.items[i] : undefined;
  }

  /** Remove and return the message findUnexpected would give. */
  takeUnexpected(source: number, tag: number): UnexpectedMessage | undefined {
    const i = this.locateUnexpected(source, tag);
    if (i < 0) return undefined;
    const bin = this.peers[this.found]!.unexpected!;
    const m = bin.remove(i);
    if (bin.size === 0) this.unexpectedFrom.delete(this.found);
    return m;
  }

  /** Remove and return every unexpected message, in arrival order (the context is broken). */
  takeAllUnexpected(): UnexpectedMessage[] {
    const all = this.unexpectedInOrder();
    for (const s of this.unexpectedFrom) this.peers[s]!.unexpected!.clear();
    this.unexpectedFrom.clear();
    return all;
  }

  /** The unexpected messages in arrival order (tests). */
  unexpectedInOrder(): UnexpectedMessage[] {
    const all: { m: UnexpectedMessage; order: number }[] = [];
    for (const s of this.unexpectedFrom) {
      const bin = this.peers[s]!.unexpected!;
      for (let i = bin.head; i < bin.tail; i++) all.push({ m: bin.items[i]!, order: bin.order[i]! });
    }
    return all.sort((a, b) => a.order - b.order).map((e) => e.m);
  }

/** Is this sequence number the next one from `source`? */
  inTurn(source: number, sequence: number): boolean {
    return (this.peers[source]?.expected ?? 0) === sequence >>> 0;
  }

  advance(source: number): void {
    const p = this.peer(source);
    p.expected = (p.expected + 1) >>> 0;
  }

  hold(source: number, sequence: number, frame: HeldFrame): void {
    this.held ??= new Map();
    let bySeq = this.held.get(source);
    if (!bySeq) this.held.set(source, (bySeq = new Map()));
    bySeq.set(sequence >>> 0, frame);
  }

  /** The held frame that is now in turn from `source`, if any (removed). */
  takeHeldInTurn(source: number): HeldFrame | undefined {
    const bySeq = this.held?.get(source);
    if (!bySeq) return undefined;
    const seq = this.peers[source]?.expected ?? 0;
    const f = bySeq.get(seq);
    if (f) bySeq.delete(seq);
    return f;
  }

  heldCount(): number {
    let n = 0;
    if (this.held) for (const m of this.held.values()) n += m.size;
    return n;
  }
}

/**
 * The errors broken contexts have failed a call with (one error breaks a
 * communicator and the stages of its collectives together): a rank whose
 * main returns without a call having failed with it fails with it then.
 */
const reported = new WeakSet<MpiError>();

/** The error a call on broken `ctx` fails with, counted as reported. */
export function brokenCall(ctx: { broken: MpiError | undefined }): MpiError | undefined {
  const e = ctx.broken;
  if (e) reported.add(e);
  return e;
}

// ---- the rank's contexts ---------------------------------------------------
// Every context of one rank (each communicator has two), and copies of frames
// that arrived for a context this rank has not created yet: a peer may finish
// `dup` or `split` first and send on the new communicator at once.

export interface EarlyFrame {
  worldSource: number;
  frame: Uint8Array;
}

export class Contexts<P extends PostedMatch> {
  private readonly byId = new Map<number, MatchingContext<P>>();
  private readonly early = new Map<number, EarlyFrame[]>();

  get(id: number): MatchingContext<P> | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<MatchingContext<P>> {
    return this.byId.values();
  }

  /** Create a context; returns it and the frames that were waiting for it, to be delivered now in arrival order. */
  open(rank: number, id: number, size: number): { ctx: MatchingContext<P>; waiting: EarlyFrame[] } {
    if (this.byId.has(id)) throw new MpiError("ERR_INTERNAL", `rank ${rank}: context ${id} opened twice`);
    const ctx = new MatchingContext<P>(id, size);
    this.byId.set(id, ctx);
    const waiting = this.early.get(id) ?? [];
    this.early.delete(id);
    return { ctx, waiting };
  }

  /** The receives posted and not matched, one line each (deadlock reports). */
  describePosted(): string[] {
    const parts: string[] = [];
    for (const ctx of this.byId.values()) {
      for (const p of ctx.postedInOrder()) {
        const from = p.source === ANY_SOURCE ? "ANY" : p.source;
        parts.push(ctx.describeTag ? `${ctx.describeTag(p.tag)} on context ${ctx.id}, receiving from rank ${from}` : `recv(source ${from}, tag ${p.tag}) on context ${ctx.id}`);
      }
    }
    return parts;
  }

  /**
   * A collective message nobody received, once every collective of this rank
   * is over: a peer called a collective this rank did not (or with another
   * root or op, in the tag), so its message can never match. Undefined when
   * there is none.
   */
  describeLeftover(): string | undefined {
    for (const ctx of this.byId.values()) if (ctx.broken && !reported.has(ctx.broken)) return `its collectives on context ${ctx.id} were broken: ${ctx.broken.message}`;
    for (const ctx of this.byId.values()) {
      const m = ctx.describeTag ? ctx.unexpectedInOrder()[0] : undefined;
      if (m) return `rank ${m.source} sent it a message of ${ctx.describeTag!(m.tag)} on context ${ctx.id} that no call of its own received`;
    }
    return undefined;
  }

  /** Keep `frame` (an owned copy) until context `id` is created. */
  stash(id: number, worldSource: number, frame: Uint8Array): void {
    let list = this.early.get(id);
    if (!list) this.early.set(id, (list = []));
    list.push({ worldSource, frame });
  }
}
