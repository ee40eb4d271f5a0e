/**
 * The point-to-point engine of one rank: turns sends and receives into frames
 * (eager below a transport's limit, receiver-driven rendezvous above it),
 * sequences and matches arrivals, and drives progress (spin briefly, then
 * sleep) while anything waits. It knows transports only through the contract
 * in src/transport.ts and never asks which one carried a frame.
 */
import { MpiError } from "../api/errors.ts";
import type { Transport } from "../transport.ts";
import { FLAG_DISCARD, FLAG_DONE, FLAG_EXPOSED, FrameType, HEADER_BYTES, MAX_MESSAGE_BYTES } from "./headers.ts";
import { Contexts } from "./contexts.ts";
import type { MatchingContext, UnexpectedMessage } from "./matching.ts";
import { Outbound } from "./outbound.ts";
import { Progress } from "./progress.ts";
import { newReceiveRequest, newSendRequest, type ReceiveRequest, SENT, type SendRequest } from "./requests.ts";
import { finishRendezvous, landEager, prepareRendezvous } from "./landing.ts";
import { copyBytes, kindOf, type Lender, payloadBytes } from "./payload.ts";

/** A communicator side's matching state, as the core keeps it. */
type Context = MatchingContext<ReceiveRequest>;

export interface RankCoreOptions {
  rank: number;
  size: number;
  /** Transport serving each world rank (undefined for self: loopback). */
  transports: (Transport | undefined)[];
  /** How long a waiting rank polls before it sleeps, microseconds. */
  spinMicroseconds: number;
  /** Told when a request someone awaits completes (the simulator resumes that rank). */
  onSettle?: () => void;
}

export class RankCore {
  readonly rank: number;
  readonly size: number;
  private readonly transports: (Transport | undefined)[];
  private readonly pollers: Transport[];
  private readonly contexts = new Contexts<ReceiveRequest>();
  private readonly sendRequests = new Map<number, SendRequest>();
  private readonly receiveRequests = new Map<number, ReceiveRequest>();
  private nextRequestId = 1;
  /** Lowest context id this rank has never used; communicator creation agrees on the maximum. */
  nextContextId = 2;
  private lastView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private readonly progress: Progress;
  private readonly out: Outbound;
  /** Requests not yet complete; progress runs while this is above zero. */
  private waiting = 0;
  private failed: MpiError | undefined;
  /** Counts every frame handled; the simulator's deadlock watchdog reads it. */
  activity = 0;
  private readonly onSettle: (() => void) | undefined;

  constructor(options: RankCoreOptions) {
    this.rank = options.rank;
    this.size = options.size;
    this.transports = options.transports;
    const pollers = new Set<Transport>();
    for (const t of options.transports) if (t && t.capabilities.progress === "poll") pollers.add(t);
    this.pollers = [...pollers];
    const events = new Set(options.transports.filter((t) => t && t.capabilities.progress === "event")).size;
    this.progress = new Progress(this, this.pollers, options.spinMicroseconds, events);
    this.out = new Outbound(this, options.transports);
    this.onSettle = options.onSettle;
  }

  // ---- contexts -------------------------------------------------------------

  /** Create the matching state for a context id (a communicator's point-to-point or collective side). */
  openContext(id: number, size: number): Context {
    const { ctx, waiting } = this.contexts.open(this.rank, id, size);
    for (const e of waiting) this.deliver(e.worldSource, e.frame);
    return ctx;
  }

  // ---- sending --------------------------------------------------------------

  /**
   * Send `data` to comm rank `dest` (world rank `worldDest`). Returns a request
   * that completes when the caller may reuse `data`.
   */
  send(ctx: Context, source: number, dest: number, worldDest: number, tag: number, data: unknown): SendRequest {
    const kind = kindOf(data);
    const bytes = payloadBytes(kind, data);
    if (bytes.byteLength > MAX_MESSAGE_BYTES) {
      throw new MpiError("ERR_COUNT", `rank ${this.rank}, send: ${bytes.byteLength} bytes exceeds the 4 GiB message limit; split the message`);
    }
    if (this.failed) return this.fail(newSendRequest(worldDest, bytes), this.failed);
    const sequence = ctx.nextSend[dest]!;
    ctx.nextSend[dest] = (sequence + 1) >>> 0;
    const transport = this.transports[worldDest];
    const eagerLimit = transport ? transport.limits.eagerLimit : Number.POSITIVE_INFINITY;
    const eager = bytes.byteLength <= eagerLimit && this.out.takeEagerCredit(worldDest);
    if (eager) {
      this.out.stamp(FrameType.EAGER, kind, 0, ctx.id, source, tag, sequence, bytes.byteLength, 0, 0, 0);
      // Taken by the transport at once (the common case): complete, with no request to track.
      if (this.out.pushNow(worldDest, bytes)) return SENT;
    }
    const req = newSendRequest(worldDest, bytes);
    this.waiting++;
    if (eager) {
      this.out.enqueue(worldDest, bytes, req); // the transport just refused it: no second try now
    } else {
      const id = this.newRequestId();
      this.sendRequests.set(id, req);
      const handle = transport?.expose?.(worldDest, bytes);
      this.out.stamp(FrameType.READY_TO_SEND, kind, handle === undefined ? 0 : FLAG_EXPOSED, ctx.id, source, tag, sequence, bytes.byteLength, id, 0, 0);
      if (handle !== undefined) this.out.headerView.setBigUint64(32, handle, true);
      // The request completes after the last DATA fragment is handed over.
      req.pendingFrames = 1 << 30;
      this.out.push(worldDest, undefined, undefined);
    }
    return req;
  }

  private newRequestId(): number {
    const id = this.nextRequestId;
    this.nextRequestId = (id + 1) >>> 0 || 1;
    return id;
  }

  /** @internal (Outbound) A frame to oneself. */
  loopback(frame: Uint8Array): void {
    this.deliver(this.rank, frame);
  }

  /** @internal (Outbound) */
  failSend(req: SendRequest, error: MpiError): void {
    if (!req.done) this.waiting--;
    this.fail(req, error);
  }

  /** @internal (Outbound) */
  frameSent(req: SendRequest): void {
    if (--req.pendingFrames === 0) this.complete(req);
  }

  private complete(req: SendRequest | ReceiveRequest): void {
    if (req.done) return;
    req.done = true;
    this.waiting--;
    if (req.settle) {
      this.onSettle?.();
      req.settle(req as never);
    }
  }

  private fail<R extends SendRequest | ReceiveRequest>(req: R, error: MpiError): R {
    if (req.done) return req;
    req.done = true;
    req.error = error;
    if (req.settle) {
      this.onSettle?.();
      req.settle(req as never);
    }
    return req;
  }

  // ---- receiving ------------------------------------------------------------

  /** Post a receive; it may complete at once from the unexpected queue. */
  receive(ctx: Context, source: number, tag: number, into: Uint8Array | undefined, lend?: Lender, poll = true): ReceiveRequest {
    const req = newReceiveRequest(ctx, source, tag, into, lend);
    this.waiting++;
    if (this.failed) return this.failReceive(req, this.failed);
    const i = ctx.findUnexpected(source, tag);
    if (i >= 0) {
      const m = ctx.takeUnexpected(i);
      this.matchUnexpected(req, m);
    } else {
      ctx.posted.push(req);
      // A blocking caller polls next anyway (spinFor), so it passes poll = false.
      if (poll) this.pollOnce();
    }
    return req;
  }

  private failReceive(req: ReceiveRequest, error: MpiError): ReceiveRequest {
    if (!req.done) this.waiting--;
    return this.fail(req, error);
  }

  private matchUnexpected(req: ReceiveRequest, m: UnexpectedMessage): void {
    if (m.rendezvous) {
      this.startRendezvousReceive(req, m);
    } else {
      const bytes = m.eagerBytes!;
      this.acceptEager(req, m.source, m.tag, m.kind, bytes, 0, bytes.byteLength, true);
      this.out.returnCredit(m.worldSource);
    }
  }

  /** Non-destructive look at the first matching unexpected message. */
  peekUnexpected(ctx: Context, source: number, tag: number): UnexpectedMessage | undefined {
    this.pollOnce();
    const i = ctx.findUnexpected(source, tag);
    return i >= 0 ? ctx.unexpected[i] : undefined;
  }

  /** Complete a receive from eager bytes (see landEager). */
  private acceptEager(req: ReceiveRequest, source: number, tag: number, kind: number, frame: Uint8Array, start: number, n: number, owned: boolean): void {
    req.matchedSource = source;
    req.matchedTag = tag;
    const e = landEager(this.rank, req, kind, frame, start, n, owned);
    if (e) this.failReceive(req, e);
    else this.complete(req);
  }

  /** A receive matched a rendezvous envelope `m`: copy straight from the sender, or clear it to send. */
  private startRendezvousReceive(req: ReceiveRequest, m: UnexpectedMessage): void {
    const { tag, kind, totalBytes: total, worldSource, senderRequest, exposed } = m;
    req.matchedSource = m.source;
    req.matchedTag = tag;
    req.worldSource = worldSource;
    const error = prepareRendezvous(this.rank, req, kind, total);
    if (!error && exposed !== undefined && this.transports[worldSource]?.readExposed?.(worldSource, exposed, req.bytes!)) {
      // Single copy done: tell the sender it may reuse its buffer.
      this.out.stamp(FrameType.CLEAR_TO_SEND, kind, FLAG_DONE, req.context.id, 0, tag, 0, total, senderRequest, 0, 0);
      this.out.push(worldSource, undefined, undefined);
      finishRendezvous(req);
      this.complete(req);
      return;
    }
    const id = error ? 0 : this.newRequestId();
    if (!error) this.receiveRequests.set(id, req);
    // A receive that cannot take the data tells the sender to drop it (MPI completes such a send normally).
    this.out.stamp(FrameType.CLEAR_TO_SEND, kind, error ? FLAG_DISCARD : 0, req.context.id, 0, tag, 0, total, senderRequest, id, 0);
    this.out.push(worldSource, undefined, undefined);
    if (error) this.failReceive(req, error);
  }

  /** Withdraw a posted receive that has not matched (used when a request is abandoned). */
  cancelReceive(req: ReceiveRequest): boolean {
    if (req.done || !req.context.removePosted(req)) return false;
    this.waiting--;
    req.done = true;
    return true;
  }

  // ---- arrivals ---------------------------------------------------------------

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
    const type = v.getUint8(o + 0);
    switch (type) {
      case FrameType.EAGER:
      case FrameType.READY_TO_SEND:
        this.arriveEnvelope(worldSource, frame, v, o, start, length);
        break;
      case FrameType.CLEAR_TO_SEND:
        this.arriveClearToSend(v, o);
        break;
      case FrameType.DATA:
        this.arriveData(frame, v, o, start, length);
        break;
      case FrameType.CREDIT:
        this.out.addCredits(worldSource, v.getUint32(o + 20, true));
        break;
      default:
        this.protocolError(worldSource, `unknown frame type ${type}`);
    }
    this.progress.wake();
  };

  /** One DataView per underlying buffer (a ring, a socket chunk), read at each frame's offset. */
  private viewOf(frame: Uint8Array): DataView {
    let v = this.lastView;
    if (v.buffer !== frame.buffer) this.lastView = v = new DataView(frame.buffer);
    return v;
  }

  private arriveEnvelope(worldSource: number, frame: Uint8Array, v: DataView, o: number, start: number, length: number): void {
    const contextId = v.getInt32(o + 4, true);
    const ctx = this.contexts.get(contextId);
    if (!ctx) {
      this.contexts.stash(contextId, worldSource, copyBytes(frame.subarray(start, start + length)));
      return;
    }
    const source = v.getInt32(o + 8, true);
    const sequence = v.getUint32(o + 16, true);
    if (source < 0 || source >= ctx.expected.length) {
      this.protocolError(worldSource, `source ${source} outside context ${contextId}`);
      return;
    }
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
    const type = v.getUint8(o + 0);
    const kind = v.getUint8(o + 1);
    const tag = v.getInt32(o + 12, true);
    const total = v.getUint32(o + 20, true);
    const req = ctx.takePosted(source, tag);
    if (type === FrameType.EAGER) {
      if (length - HEADER_BYTES < total) {
        this.protocolError(worldSource, "eager frame shorter than its header says");
        return;
      }
      if (req) {
        this.acceptEager(req, source, tag, kind, frame, start + HEADER_BYTES, total, false);
        this.out.returnCredit(worldSource);
      } else
        ctx.unexpected.push({
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
    const senderRequest = v.getUint32(o + 24, true);
    const exposed = v.getUint16(o + 2, true) & FLAG_EXPOSED ? v.getBigUint64(o + 32, true) : undefined;
    const m: UnexpectedMessage = { source, tag, kind, totalBytes: total, worldSource, eagerBytes: undefined, senderRequest, rendezvous: true, exposed };
    if (req) this.startRendezvousReceive(req, m);
    else ctx.unexpected.push(m);
  }

  private arriveClearToSend(v: DataView, o: number): void {
    const id = v.getUint32(o + 24, true);
    const req = this.sendRequests.get(id);
    if (!req) return;
    this.sendRequests.delete(id);
    if (v.getUint16(o + 2, true) & (FLAG_DISCARD | FLAG_DONE)) {
      // The receiver copied the exposed bytes itself, or truncated (MPI completes the send normally).
      req.pendingFrames = 1;
      this.frameSent(req);
      return;
    }
    this.out.startTransfer(req, id, v.getUint32(o + 28, true));
  }

  private arriveData(frame: Uint8Array, v: DataView, o: number, start: number, length: number): void {
    const id = v.getUint32(o + 28, true);
    const req = this.receiveRequests.get(id);
    if (!req) return;
    const offset = v.getUint32(o + 32, true);
    const n = length - HEADER_BYTES;
    if (offset + n > req.totalBytes) {
      this.receiveRequests.delete(id);
      this.failReceive(req, new MpiError("ERR_TRANSPORT", `rank ${this.rank}, recv: a data fragment overran its message`));
      return;
    }
    req.bytes!.set(frame.subarray(start + HEADER_BYTES, start + length), offset);
    req.received += n;
    if (req.received >= req.totalBytes) {
      this.receiveRequests.delete(id);
      finishRendezvous(req);
      this.complete(req);
    }
  }

  private protocolError(worldSource: number, what: string): void {
    this.failAll(new MpiError("ERR_TRANSPORT", `rank ${this.rank}: bad frame from rank ${worldSource}: ${what}`));
  }

  // ---- failure ------------------------------------------------------------------

  /** A peer is gone: fail everything that could be waiting on it (and everything after, to never hang). */
  peerLost(peer: number, reason: string): void {
    this.failAll(new MpiError("ERR_TRANSPORT", `rank ${this.rank}: lost rank ${peer}: ${reason}`));
  }

  /** Fail every pending request and every later call with `error`. */
  failAll(error: MpiError): void {
    if (!this.failed) this.failed = error;
    for (const ctx of this.contexts.values()) {
      for (const p of ctx.posted.splice(0)) this.failReceive(p, error);
    }
    for (const r of this.receiveRequests.values()) this.failReceive(r, error);
    this.receiveRequests.clear();
    for (const s of this.sendRequests.values()) {
      if (!s.done) this.waiting--;
      this.fail(s, error);
    }
    this.sendRequests.clear();
    this.out.failAll(error);
    this.progress.wake();
  }

  // ---- progress -----------------------------------------------------------------

  /** One non-blocking pass: retry queued frames and poll every polled transport. */
  pollOnce(): number {
    let n = 0;
    const pollers = this.pollers;
    for (let i = 0; i < pollers.length; i++) n += pollers[i]!.poll!(this.deliver);
    if (this.out.pending) n += this.out.flush();
    return n;
  }

  /** Called by transports when room frees up for queued frames. */
  readonly writable = (): void => {
    if (this.out.pending) this.out.flush();
    this.progress.wake();
  };

  /** Blocking-style calls spin briefly for a completion that is on its way (see src/core/progress.ts). */
  spinFor(req: { done: boolean }): void {
    this.progress.spinFor(req);
  }

  /** Keep progress going in the background while anything waits. */
  ensureProgress(): void {
    this.progress.ensure();
  }

  /** Resolves after the next arrival (probe). */
  nextArrival(): Promise<void> {
    return this.progress.nextArrival();
  }

  /** Pending work, for deadlock reports. */
  describePending(): string {
    const parts = this.contexts.describePosted();
    if (this.sendRequests.size > 0) parts.push(`${this.sendRequests.size} rendezvous send(s) awaiting their receiver`);
    if (this.receiveRequests.size > 0) parts.push(`${this.receiveRequests.size} receive(s) awaiting data`);
    return parts.join("; ") || "nothing";
  }

  get pendingCount(): number {
    return this.waiting;
  }

  /** The error every call now fails with, once the job is failing. */
  get failure(): MpiError | undefined {
    return this.failed;
  }

  close(): void {
    this.progress.close();
  }
}
