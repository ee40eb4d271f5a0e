/**
 * The receive side of a rank: everything that arrives. Every frame from any
 * transport (and loopback) enters at `deliver`, which dispatches on its type:
 * an envelope (EAGER or READY_TO_SEND) is put in turn by its sequence number
 * and matched against the posted receives or kept as unexpected; DATA lands in
 * a rendezvous receive's buffer; CLEAR_TO_SEND and CREDIT go to the send side.
 * A posted receive first searches the unexpected queue. Where the bytes land
 * (the caller's buffer, a lent one, a new value) is at the end of this file.
 */
import { MpiError } from "../errors.ts";
import type { Transport } from "../transport/contract.ts";
import { At, FLAG_DISCARD, FLAG_DONE, FLAG_EXPOSED, FrameType, HEADER_BYTES, stampHeader } from "./frames.ts";
import { brokenCall, type Contexts, type MatchingContext, type UnexpectedMessage } from "./matching.ts";
import type { MessageObserver } from "./observer.ts";
import { allocateFor, copyBytes, finishPayload, type Lender, PayloadKind, sizeFitsKind } from "./payload.ts";
import type { Progress } from "./progress.ts";
import { newReceiveRequest, type ReceiveRequest, type RequestTable } from "./requests.ts";
import type { Sender } from "./sender.ts";

type Context = MatchingContext<ReceiveRequest>;

/** Finished receives kept for reuse: a blocking caller has one at a time, a linear all-to-all one per peer. */
const SPARE_RECEIVES = 256;

/** The rank's one non-blocking progress pass (poll transports, retry queued frames). */
export interface Poller {
  pollOnce(): number;
}

export class Receiver {
  private readonly rank: number;
  private readonly transports: readonly (Transport | undefined)[];
  private readonly contexts: Contexts<ReceiveRequest>;
  private readonly requests: RequestTable;
  private readonly sender: Sender;
  private readonly progress: Progress;
  private readonly poller: Poller;
  private readonly failAll: (error: MpiError) => void;
  private lastView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  /** The frame array `lastView` was made for (a ring's array comes again and again). */
  private lastFrame: Uint8Array | undefined;
  /** The context the last envelope was for: traffic comes in runs on one communicator, and contexts are never closed. */
  private lastContext: Context | undefined;
  /** Counts every frame handled (the simulator's deadlock watchdog reads it). */
  activity = 0;
  /** Finished receives to reuse (see recycle). */
  private readonly spare: ReceiveRequest[] = [];
  /** Set while tracing (live --trace): told of every message's envelope arriving. */
  observer: MessageObserver | undefined;

  constructor(
    rank: number,
    transports: readonly (Transport | undefined)[],
    contexts: Contexts<ReceiveRequest>,
    requests: RequestTable,
    sender: Sender,
    progress: Progress,
    poller: Poller,
    failAll: (error: MpiError) => void,
  ) {
    this.rank = rank;
    this.transports = transports;
    this.contexts = contexts;
    this.requests = requests;
    this.sender = sender;
    this.progress = progress;
    this.poller = poller;
    this.failAll = failAll;
  }

  // ---- a receive is posted --------------------------------------------------------

  /** Post a receive; it may complete at once from the unexpected queue. */
  receive(ctx: Context, source: number, tag: number, into: Uint8Array | undefined, lend?: Lender, poll = true): ReceiveRequest {
    const req = newReceiveRequest(ctx, source, tag, into, lend, this.spare.pop());
    const requests = this.requests;
    requests.waiting++;
    if (requests.failed) return requests.failWaiting(req, requests.failed);
    if (ctx.broken) return requests.failWaiting(req, brokenCall(ctx)!);
    const m = ctx.takeUnexpected(source, tag);
    if (m) {
      this.matchUnexpected(req, m);
    } else {
      ctx.post(req);
      // A blocking caller polls next anyway (spinFor), so it passes poll = false.
      if (poll) this.poller.pollOnce();
    }
    return req;
  }

  /**
   * A blocking receive finished and its result was taken: nobody holds `req`
   * any more, so the next receive reuses it (one less object per message of a
   * ping-pong, which the garbage collector would otherwise sweep).
   */
  recycle(req: ReceiveRequest): void {
    req.into = undefined;
    req.lend = undefined;
    req.value = undefined;
    req.bytes = undefined;
    if (this.spare.length < SPARE_RECEIVES) this.spare.push(req);
  }

  private matchUnexpected(req: ReceiveRequest, m: UnexpectedMessage): void {
    if (m.rendezvous) {
      this.startRendezvousReceive(req, m);
    } else {
      const bytes = m.eagerBytes!;
      this.acceptEager(req, m.source, m.tag, m.kind, bytes, 0, bytes.byteLength, true);
      this.sender.returnCredit(m.worldSource);
    }
  }

  /** Non-destructive look at the first matching unexpected message. */
  peekUnexpected(ctx: Context, source: number, tag: number): UnexpectedMessage | undefined {
    this.poller.pollOnce();
    return ctx.findUnexpected(source, tag);
  }

  /** Complete a receive from eager bytes (see landEager). */
  private acceptEager(req: ReceiveRequest, source: number, tag: number, kind: number, frame: Uint8Array, start: number, n: number, owned: boolean): void {
    req.matchedSource = source;
    req.matchedTag = tag;
    const e = landEager(this.rank, req, kind, frame, start, n, owned);
    if (e) this.requests.failWaiting(req, e);
    else this.requests.complete(req);
  }

  /** A receive matched a rendezvous envelope `m`: copy straight from the sender, or clear it to send. */
  private startRendezvousReceive(req: ReceiveRequest, m: UnexpectedMessage): void {
    const { tag, kind, totalBytes: total, worldSource, senderRequest, exposed } = m;
    req.matchedSource = m.source;
    req.matchedTag = tag;
    req.worldSource = worldSource;
    const out = this.sender;
    const error = prepareRendezvous(this.rank, req, kind, total);
    if (!error && exposed !== undefined && this.transports[worldSource]?.readExposed?.(worldSource, exposed, req.bytes!)) {
      // Single copy done: tell the sender it may reuse its buffer.
      stampHeader(out.headerView, 0, FrameType.CLEAR_TO_SEND, kind, FLAG_DONE, req.context.id, 0, tag, 0, total, senderRequest, 0, 0);
      out.push(worldSource, undefined, undefined);
      const failed = finishRendezvous(this.rank, req);
      if (failed) this.requests.failWaiting(req, failed);
      else this.requests.complete(req);
      return;
    }
    const id = error ? 0 : this.requests.newId();
    if (!error) this.requests.receives.set(id, req);
    // A receive that cannot take the data tells the sender to drop it (MPI completes such a send normally).
    stampHeader(out.headerView, 0, FrameType.CLEAR_TO_SEND, kind, error ? FLAG_DISCARD : 0, req.context.id, 0, tag, 0, total, senderRequest, id, 0);
    out.push(worldSource, undefined, undefined);
    if (error) this.requests.failWaiting(req, error);
  }

  // ---- a frame arrives --------------------------------------------------------------

  /**
   * Entry point for every frame from any transport (and loopback): the
   * `length` bytes at `start` in `frame` (all of it by default), valid only
   * during the call.
   */
  readonly deliver = (worldSource: number, frame: Uint8Array, start = 0, length = frame.byteLength - start): void => {
    this.activity++;
    if (length < HEADER_BYTES) {
      this.protocolError(worldSource, `a ${length}-byte frame is shorter than a header`);
      return;
    }
    const v = this.viewOf(frame);
    const o = frame.byteOffset + start;
    const type = v.getUint8(o + At.TYPE);
    switch (type) {
      case FrameType.EAGER:
      case FrameType.READY_TO_SEND:
        this.arriveEnvelope(worldSource, frame, v, o, start, length);
        break;
      case FrameType.CLEAR_TO_SEND:
        this.sender.arriveClearToSend(v, o);
        break;
      case FrameType.DATA:
        this.arriveData(frame, v, o, start, length);
        break;
      case FrameType.CREDIT:
        this.sender.addCredits(worldSource, v.getUint32(o + At.TOTAL_BYTES, true));
        break;
      default:
        this.protocolError(worldSource, `unknown frame type ${type}`);
    }
    this.progress.wake();
  };

  /**
   * One DataView per underlying buffer (a ring, a socket chunk), read at each
   * frame's offset. Looked up by the frame array first: reading `.buffer`
   * costs about 20 ns, and a ring hands over the same array every time.
   */
  private viewOf(frame: Uint8Array): DataView {
    if (frame === this.lastFrame) return this.lastView;
    let v = this.lastView;
    if (v.buffer !== frame.buffer) this.lastView = v = new DataView(frame.buffer);
    this.lastFrame = frame;
    return v;
  }

  private arriveEnvelope(worldSource: number, frame: Uint8Array, v: DataView, o: number, start: number, length: number): void {
    const contextId = v.getInt32(o + At.CONTEXT, true);
    let ctx = this.lastContext;
    if (ctx === undefined || ctx.id !== contextId) ctx = this.lastContext = this.contexts.get(contextId);
    if (!ctx) {
      this.contexts.stash(contextId, worldSource, copyBytes(frame.subarray(start, start + length)));
      return;
    }
    const source = v.getInt32(o + At.SOURCE, true);
    const sequence = v.getUint32(o + At.SEQUENCE, true);
    if (source < 0 || source >= ctx.size) {
      this.protocolError(worldSource, `source ${source} outside context ${contextId}`);
      return;
    }
    if (this.observer) this.observer.arrived(worldSource, contextId, source, sequence, v.getInt32(o + At.TAG, true), v.getUint32(o + At.TOTAL_BYTES, true));
    if (!ctx.inTurn(source, sequence)) {
      ctx.hold(source, sequence, { worldSource, frame: copyBytes(frame.subarray(start, start + length)) });
      return;
    }
    this.matchEnvelope(ctx, worldSource, frame, v, start, length, source);
    // Drain frames that were waiting for this one.
    for (let held = ctx.takeHeldInTurn(source); held; held = ctx.takeHeldInTurn(source)) {
      this.matchEnvelope(ctx, held.worldSource, held.frame, new DataView(held.frame.buffer), 0, held.frame.byteLength, source);
    }
  }

  /** `v` views `frame`'s buffer (the caller has one already: a frame's buffer is looked up once). */
  private matchEnvelope(ctx: Context, worldSource: number, frame: Uint8Array, v: DataView, start: number, length: number, source: number): void {
    const o = frame.byteOffset + start;
    ctx.advance(source);
    const type = v.getUint8(o + At.TYPE);
    const kind = v.getUint8(o + At.KIND);
    const tag = v.getInt32(o + At.TAG, true);
    const total = v.getUint32(o + At.TOTAL_BYTES, true);
    const req = ctx.takePosted(source, tag);
    if (type === FrameType.EAGER) {
      if (length - HEADER_BYTES < total) {
        this.protocolError(worldSource, "eager frame shorter than its header says");
        return;
      }
      if (req) {
        this.acceptEager(req, source, tag, kind, frame, start + HEADER_BYTES, total, false);
        this.sender.returnCredit(worldSource);
      } else
        this.unexpected(ctx, {
          source,
          tag,
          kind,
          totalBytes: total,
          worldSource,
          eagerBytes: copyBytes(frame.subarray(start + HEADER_BYTES, start + HEADER_BYTES + total)),
          senderRequest: 0,
          rendezvous: false,
          exposed: undefined,
        });
      return;
    }
    const senderRequest = v.getUint32(o + At.SENDER_REQUEST, true);
    const exposed = v.getUint16(o + At.FLAGS, true) & FLAG_EXPOSED ? v.getBigUint64(o + At.HANDLE, true) : undefined;
    const m: UnexpectedMessage = { source, tag, kind, totalBytes: total, worldSource, eagerBytes: undefined, senderRequest, rendezvous: true, exposed };
    if (req) this.startRendezvousReceive(req, m);
    else this.unexpected(ctx, m);
  }

  /** Keep a message no receive took (and tell the context's watch), or drop it on a broken context. */
  private unexpected(ctx: Context, m: UnexpectedMessage): void {
    if (ctx.broken) {
      this.discard(ctx, m);
      return;
    }
    ctx.addUnexpected(m);
    ctx.watch?.(m);
  }

  /** Drop a message nobody will receive: an eager one's credit goes back, a rendezvous sender is told to discard. */
  private discard(ctx: Context, m: UnexpectedMessage): void {
    if (!m.rendezvous) {
      this.sender.returnCredit(m.worldSource);
      return;
    }
    const out = this.sender;
    stampHeader(out.headerView, 0, FrameType.CLEAR_TO_SEND, m.kind, FLAG_DISCARD, ctx.id, 0, m.tag, 0, m.totalBytes, m.senderRequest, 0, 0);
    out.push(m.worldSource, undefined, undefined);
  }

  /**
   * Break a context (ranks called mismatched collectives on it): its posted
   * receives and rendezvous receives fail with `error`, its unexpected
   * messages are dropped, and so are later ones; later receives fail at once.
   */
  breakContext(ctx: Context, error: MpiError): void {
    if (ctx.broken) return;
    ctx.broken = error;
    const requests = this.requests;
    for (const p of ctx.takeAllPosted()) requests.failWaiting(p, brokenCall(ctx)!);
    for (const [id, r] of requests.receives) {
      if (r.context !== ctx) continue;
      requests.receives.delete(id);
      requests.failWaiting(r, brokenCall(ctx)!);
    }
    for (const m of ctx.takeAllUnexpected()) this.discard(ctx, m);
    this.progress.wake();
  }

  private arriveData(frame: Uint8Array, v: DataView, o: number, start: number, length: number): void {
    const id = v.getUint32(o + At.RECEIVER_REQUEST, true);
    const requests = this.requests;
    const req = requests.receives.get(id);
    if (!req) return;
    const offset = v.getUint32(o + At.OFFSET, true);
    const n = length - HEADER_BYTES;
    if (offset + n > req.totalBytes) {
      requests.receives.delete(id);
      requests.failWaiting(req, new MpiError("ERR_TRANSPORT", `rank ${this.rank}, recv: a data fragment overran its message`));
      return;
    }
    req.bytes!.set(frame.subarray(start + HEADER_BYTES, start + length), offset);
    req.received += n;
    if (req.received >= req.totalBytes) {
      requests.receives.delete(id);
      const failed = finishRendezvous(this.rank, req);
      if (failed) requests.failWaiting(req, failed);
      else requests.complete(req);
    }
  }

  private protocolError(worldSource: number, what: string): void {
    this.failAll(new MpiError("ERR_TRANSPORT", `rank ${this.rank}: bad frame from rank ${worldSource}: ${what}`));
  }

  /** Fail every posted receive and every rendezvous receive waiting for data. */
  failReceives(error: MpiError): void {
    const requests = this.requests;
    for (const ctx of this.contexts.values()) {
      for (const p of ctx.takeAllPosted()) requests.failWaiting(p, error);
    }
    for (const r of requests.receives.values()) requests.failWaiting(r, error);
    requests.receives.clear();
  }
}

// ---- where a matched message's bytes land ------------------------------------------
// The caller's buffer (recvInto), a buffer a lender provides, or a new value of
// the message's kind allocated from the header alone; and the errors when they
// cannot land (a message longer than the caller's buffer, a size that is not a
// whole number of the kind's elements).

/**
 * Land the `n` eager bytes at `start` in `frame`; `owned` says they may be
 * kept without copying (then they are the whole of `frame`). Offsets rather
 * than a view: most messages are small, and a view costs more than copying
 * them. Returns the error the receive fails with, if any.
 */
export function landEager(rank: number, req: ReceiveRequest, kind: number, frame: Uint8Array, start: number, n: number, owned: boolean): MpiError | undefined {
  req.totalBytes = n;
  const into = req.into;
  if (into) {
    if (n > into.byteLength) return truncated(rank, req, n);
    // Measured here: a byte loop beats a view plus `set` (about 31 ns) up to about 16 bytes.
    if (n <= 16) for (let i = 0; i < n; i++) into[i] = frame[start + i]!;
    else into.set(frame.subarray(start, start + n));
  } else if (kind === PayloadKind.OBJECT) {
    try {
      req.value = finishPayload(kind, undefined, owned ? frame : copyBytes(frame.subarray(start, start + n)));
    } catch (e) {
      return received(rank, req, e);
    }
  } else {
    if (!sizeFitsKind(kind, n)) return corrupt(rank, kind, n);
    const a = req.lend?.(kind, n) ?? allocateFor(kind, n);
    a.bytes.set(frame.subarray(start, start + n));
    req.value = a.value;
  }
  return undefined;
}

/** A payload error, named with the receiving rank and the message it came in. */
function received(rank: number, req: ReceiveRequest, e: unknown): MpiError {
  const m = e instanceof Error ? e.message.replace(/^ERR_\w+: /, "") : String(e);
  return new MpiError("ERR_PAYLOAD", `rank ${rank}, recv: the message from rank ${req.matchedSource} (tag ${req.matchedTag}): ${m}`, { cause: e });
}

/**
 * Choose where a rendezvous message of `total` bytes will land (`req.bytes`,
 * and `req.value` for recv). Returns the error instead when it cannot: the
 * receiver then tells the sender to discard the data.
 */
export function prepareRendezvous(rank: number, req: ReceiveRequest, kind: number, total: number): MpiError | undefined {
  req.kind = kind;
  req.totalBytes = total;
  if (req.into) {
    if (total > req.into.byteLength) return truncated(rank, req, total);
    req.bytes = req.into.subarray(0, total);
  } else if (kind !== PayloadKind.OBJECT && !sizeFitsKind(kind, total)) {
    return corrupt(rank, kind, total);
  } else {
    try {
      const a = req.lend?.(kind, total) ?? allocateFor(kind, total);
      req.bytes = a.bytes;
      req.value = a.value;
    } catch (e) {
      return received(rank, req, e);
    }
  }
  return undefined;
}

/** All of a rendezvous message's bytes are in: make recv's value from them (or the error it fails with). */
export function finishRendezvous(rank: number, req: ReceiveRequest): MpiError | undefined {
  if (req.into) return undefined;
  try {
    req.value = finishPayload(req.kind, req.value, req.bytes!);
  } catch (e) {
    return received(rank, req, e);
  }
  return undefined;
}

function truncated(rank: number, req: ReceiveRequest, n: number): MpiError {
  return new MpiError(
    "ERR_TRUNCATE",
    `rank ${rank}, recvInto: the message from rank ${req.matchedSource} (tag ${req.matchedTag}) has ${n} bytes but the buffer holds ${req.into!.byteLength}; pass a larger buffer or use recv()`,
  );
}

function corrupt(rank: number, kind: number, n: number): MpiError {
  return new MpiError("ERR_TRANSPORT", `rank ${rank}, recv: a frame of kind ${kind} carried ${n} bytes, not a whole number of elements`);
}
