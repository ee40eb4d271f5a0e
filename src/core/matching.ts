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

export function envelopeMatches(wantSource: number, wantTag: number, source: number, tag: number): boolean {
  // ANY_TAG only matches user tags (>= 0); negative tags are internal.
  return (wantSource === ANY_SOURCE || wantSource === source) && (wantTag === ANY_TAG ? tag >= 0 : wantTag === tag);
}

/** A frame that arrived ahead of its turn, kept (copied) until its predecessors arrive. */
export interface HeldFrame {
  worldSource: number;
  frame: Uint8Array;
}

export class MatchingContext<P extends PostedMatch> {
  readonly id: number;
  /** Receives in posting order. */
  readonly posted: P[] = [];
  /** Arrived, unmatched messages in arrival (= sequence) order. */
  readonly unexpected: UnexpectedMessage[] = [];
  /** Next sequence number expected from each source rank. */
  readonly expected: Uint32Array;
  /** Next sequence number to stamp on a message to each destination rank. */
  readonly nextSend: Uint32Array;
  /** Names what a receive with this tag belongs to in reports (a collective context names the collective call). */
  describeTag: ((tag: number) => string) | undefined;
  /** Out-of-order arrivals by source, keyed by sequence number. */
  private held: Map<number, Map<number, HeldFrame>> | undefined;

  constructor(id: number, size: number) {
    this.id = id;
    this.expected = new Uint32Array(size);
    this.nextSend = new Uint32Array(size);
  }

  /** Take the first posted receive that matches, in posting order. */
  takePosted(source: number, tag: number): P | undefined {
    const posted = this.posted;
    for (let i = 0; i < posted.length; i++) {
      const p = posted[i]!;
      if (envelopeMatches(p.source, p.tag, source, tag)) {
        if (i === 0) posted.shift();
        else posted.splice(i, 1);
        return p;
      }
    }
    return undefined;
  }

  /** Index of the first unexpected message a receive would match, or -1. */
  findUnexpected(source: number, tag: number): number {
    const list = this.unexpected;
    for (let i = 0; i < list.length; i++) {
      const m = list[i]!;
      if (envelopeMatches(source, tag, m.source, m.tag)) return i;
    }
    return -1;
  }

  takeUnexpected(index: number): UnexpectedMessage {
    const m = this.unexpected[index]!;
    if (index === 0) this.unexpected.shift();
    else this.unexpected.splice(index, 1);
    return m;
  }

  /** Is this sequence number the next one from `source`? */
  inTurn(source: number, sequence: number): boolean {
    return this.expected[source] === sequence >>> 0;
  }

  advance(source: number): void {
    this.expected[source] = (this.expected[source]! + 1) >>> 0;
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
    const seq = this.expected[source]!;
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
      for (const p of ctx.posted) {
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
    for (const ctx of this.byId.values()) {
      const m = ctx.describeTag ? ctx.unexpected[0] : undefined;
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
