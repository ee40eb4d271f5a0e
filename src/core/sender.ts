/**
 * The send side of a rank: everything that leaves it. A send becomes one
 * EAGER frame (envelope and payload) when the payload fits the transport's
 * eager limit and the receiver has credit for it, or a READY_TO_SEND that the
 * receiver answers with CLEAR_TO_SEND once matched (rendezvous; then the
 * payload follows as DATA fragments, one fragment per transfer in turn, or the
 * receiver copied it itself through an exposed handle). Headers are stamped
 * into one scratch buffer and handed to the peer's transport at once, or
 * queued (a copy of the header) when the transport has no room. Eager credits
 * bound what may wait unmatched at each receiver.
 */
import { MpiError } from "../errors.ts";
import type { Deliver, Transport } from "../transport/contract.ts";
import {
  At,
  FLAG_DISCARD,
  FLAG_DONE,
  FLAG_EXPOSED,
  FrameType,
  HEADER_BYTES,
  MAX_MESSAGE_BYTES,
  NATIVE_LITTLE_ENDIAN,
  stampEagerWords,
  stampHeader,
} from "./frames.ts";
import type { MatchingContext } from "./matching.ts";
import type { MessageObserver } from "./observer.ts";
import { kindOf, payloadBytes } from "./payload.ts";
import { failed, newSendRequest, type ReceiveRequest, type RequestTable, SENT, type SendRequest } from "./requests.ts";

/**
 * Eager messages a sender may have in flight or unmatched at one receiver.
 * Past that it switches to rendezvous (which buffers nothing at the
 * receiver), so a receiver that never posts receives holds at most this many
 * eager payloads per sender: the unexpected queue stays bounded. Credits come
 * back in batches of half as messages are matched.
 */
export const EAGER_CREDITS = 64;

/** A rendezvous payload the receiver cleared, sent one fragment at a time. */
interface Transfer {
  req: SendRequest;
  senderRequest: number;
  receiverRequest: number;
  /** Next byte to send. */
  offset: number;
  fragment: number;
}

export class Sender {
  /** The header of the next frame; `stamp` fills it. */
  readonly header = new Uint8Array(HEADER_BYTES);
  readonly headerView = new DataView(this.header.buffer);
  private readonly headerWords = new Int32Array(this.header.buffer);
  private readonly rank: number;
  private readonly requests: RequestTable;
  /** Where a frame to oneself goes: this rank's receive side (the view is only valid during the call). */
  private readonly loopback: Deliver;
  private readonly transports: readonly (Transport | undefined)[];
  private readonly queues: OutQueue[];
  /** Rendezvous payloads being streamed to each peer, taken in turn (see pump). */
  private readonly transfers: Transfer[][];
  private activeTransfers = 0;
  /** Frames waiting in the queues (so `pending` costs nothing on every poll). */
  private queuedFrames = 0;
  /**
   * Per peer p: at 2p the eager sends it still accepts, at 2p + 1 the eager
   * messages from it consumed and not yet credited back. Side by side, so a
   * message touches one place of this array (at 1024 ranks every separate
   * np-long array a message touches costs a cache and TLB miss).
   */
  private readonly flow: Int32Array;
  /**
   * Set while profiling or tracing: told of every message sent, where
   * point-to-point and collective sends on every communicator enter the core
   * (messages, not frames, which depend on the transport and protocol the
   * placement chose, so a profile would change with its placement).
   */
  observer: MessageObserver | undefined;

  constructor(rank: number, transports: readonly (Transport | undefined)[], requests: RequestTable, loopback: Deliver) {
    this.rank = rank;
    this.requests = requests;
    this.loopback = loopback;
    this.transports = transports;
    const n = transports.length;
    // Every peer starts on the shared empty queue and list, given its own on first use:
    // a 1024-rank simulation would otherwise hold a million of each.
    this.queues = new Array<OutQueue>(n).fill(NO_QUEUE);
    this.transfers = new Array<Transfer[]>(n).fill(NO_TRANSFERS);
    this.flow = new Int32Array(2 * n);
    for (let p = 0; p < n; p++) this.flow[2 * p] = EAGER_CREDITS;
  }

  // ---- a message leaves ---------------------------------------------------------

  /**
   * Send `data` to comm rank `dest` (world rank `worldDest`) on context `ctx`.
   * Returns a request that completes when the caller may reuse `data`.
   */
  send(ctx: MatchingContext<ReceiveRequest>, source: number, dest: number, worldDest: number, tag: number, data: unknown): SendRequest {
    const kind = kindOf(data);
    const bytes = payloadBytes(kind, data, this.rank);
    // `length`, not `byteLength`: the same for bytes, and on Node 20 a typed
    // array's byteLength is a getter call (about 10 ns) where length is a load.
    const n = bytes.length;
    if (n > MAX_MESSAGE_BYTES) {
      throw new MpiError("ERR_COUNT", `rank ${this.rank}, send: ${n} bytes exceeds the 4 GiB message limit; split the message`);
    }
    const requests = this.requests;
    if (requests.failed) return failed(newSendRequest(worldDest, bytes), requests.failed);
    const sequence = ctx.stampNext(dest);
    this.observer?.sent(worldDest, ctx.id, source, sequence, tag, n);
    const transport = this.transports[worldDest];
    const eagerLimit = transport ? transport.limits.eagerLimit : Number.POSITIVE_INFINITY;
    const eager = n <= eagerLimit && this.takeEagerCredit(worldDest);
    if (eager) {
      const credits = this.takeOwed(worldDest);
      if (NATIVE_LITTLE_ENDIAN) stampEagerWords(this.headerWords, kind, ctx.id, source, tag, sequence, n, credits);
      else {
        stampHeader(this.headerView, 0, FrameType.EAGER, kind, 0, ctx.id, source, tag, sequence, n, 0, 0, 0);
        this.headerView.setUint32(At.CREDITS, credits, true);
      }
      // Taken by the transport at once (the common case): complete, with no request to track.
      if (this.pushNow(worldDest, bytes)) return SENT;
    }
    const req = newSendRequest(worldDest, bytes);
    requests.waiting++;
    if (eager) {
      this.enqueue(worldDest, bytes, req); // the transport just refused it: no second try now
    } else {
      const id = requests.newId();
      requests.sends.set(id, req);
      const handle = transport?.expose?.(worldDest, bytes);
      stampHeader(
        this.headerView,
        0,
        FrameType.READY_TO_SEND,
        kind,
        handle === undefined ? 0 : FLAG_EXPOSED,
        ctx.id,
        source,
        tag,
        sequence,
        n,
        id,
        0,
        0,
      );
      if (handle !== undefined) this.headerView.setBigUint64(At.HANDLE, handle, true);
      // The request completes after the last DATA fragment is handed over.
      req.pendingFrames = 1 << 30;
      this.push(worldDest, undefined, undefined);
    }
    return req;
  }

  /** The receiver answered a rendezvous (the CLEAR_TO_SEND at `o` in `v`): stream the data, or finish. */
  arriveClearToSend(v: DataView, o: number): void {
    const id = v.getUint32(o + At.SENDER_REQUEST, true);
    const req = this.requests.sends.get(id);
    if (!req) return;
    this.requests.sends.delete(id);
    if (v.getUint16(o + At.FLAGS, true) & (FLAG_DISCARD | FLAG_DONE)) {
      // The receiver copied the exposed bytes itself, or truncated (MPI completes the send normally).
      req.pendingFrames = 1;
      this.frameSent(req);
      return;
    }
    this.startTransfer(req, id, v.getUint32(o + At.RECEIVER_REQUEST, true));
  }

  /** One frame of `req` was handed over. */
  private frameSent(req: SendRequest): void {
    if (--req.pendingFrames === 0) this.requests.complete(req);
  }

  private failSend(req: SendRequest, error: MpiError): void {
    this.requests.failWaiting(req, error);
  }

  /** Fail every rendezvous send and everything queued. */
  failAll(error: MpiError): void {
    for (const s of this.requests.sends.values()) this.requests.failWaiting(s, error);
    this.requests.sends.clear();
    this.dropQueued(error);
  }

  // ---- the wire: stamping, queues, credits, fragments ----------------------------

  /** Hand the stamped header plus `payload` to the peer's transport, or queue a copy of the header. */
  push(peer: number, payload: Uint8Array | undefined, sent: SendRequest | undefined): void {
    if (this.pushNow(peer, payload)) {
      if (sent) this.frameSent(sent);
    } else {
      this.enqueue(peer, payload, sent);
    }
  }

  /**
   * Hand the stamped header plus `payload` over now (to oneself it is
   * delivered at once), if the transport takes it with nothing queued before
   * it; false when it must be queued with `enqueue`.
   */
  pushNow(peer: number, payload: Uint8Array | undefined): boolean {
    const transport = this.transports[peer];
    if (!transport) {
      const n = payload ? payload.length : 0;
      const frame = new Uint8Array(HEADER_BYTES + n);
      frame.set(this.header);
      if (payload) frame.set(payload, HEADER_BYTES);
      this.loopback(this.rank, frame);
      return true;
    }
    // Nothing queued anywhere is the common case: then this peer's queue need not be looked at.
    return (this.queuedFrames === 0 || this.queues[peer]!.empty) && transport.trySend(peer, this.header, payload);
  }

  /** Queue the stamped header (a copy) plus `payload` for `flush` to retry. */
  enqueue(peer: number, payload: Uint8Array | undefined, sent: SendRequest | undefined): void {
    let q = this.queues[peer]!;
    if (q === NO_QUEUE) this.queues[peer] = q = new OutQueue();
    q.push({ header: this.header.slice(), payload, sent });
    this.queuedFrames++;
  }

  /** May the next small message to `peer` go eagerly? Takes a credit when it may. */
  takeEagerCredit(peer: number): boolean {
    if (!this.transports[peer]) return true;
    if (this.flow[2 * peer]! <= 0) return false;
    this.flow[2 * peer]!--;
    return true;
  }

  addCredits(peer: number, n: number): void {
    this.flow[2 * peer]! += n;
  }

  /**
   * The credits owed to `peer`, handed over now: an eager message to it
   * carries them (frames.ts), so they need no CREDIT frame of their own.
   */
  private takeOwed(peer: number): number {
    const at = 2 * peer + 1;
    const owed = this.flow[at]!;
    if (owed !== 0) this.flow[at] = 0;
    return owed;
  }

  /** An eager message from `peer` left this rank's buffers: credit it back (in batches, or with the next eager message to it). */
  returnCredit(peer: number): void {
    if (peer === this.rank) return;
    const owed = this.flow[2 * peer + 1]! + 1;
    if (owed < EAGER_CREDITS / 2) {
      this.flow[2 * peer + 1] = owed;
      return;
    }
    this.flow[2 * peer + 1] = 0;
    stampHeader(this.headerView, 0, FrameType.CREDIT, 0, 0, 0, 0, 0, 0, owed, 0, 0, 0);
    this.push(peer, undefined, undefined);
  }

  /** The receiver cleared a rendezvous: stream `req`'s payload to it. */
  startTransfer(req: SendRequest, senderRequest: number, receiverRequest: number): void {
    const peer = req.worldDest;
    const transport = this.transports[peer];
    const total = req.payload.byteLength;
    if (!transport) {
      // To oneself: one DATA frame, delivered at once.
      req.pendingFrames = 1;
      stampHeader(this.headerView, 0, FrameType.DATA, 0, 0, 0, 0, 0, 0, total, senderRequest, receiverRequest, 0);
      this.push(peer, req.payload, req);
      return;
    }
    const fragment = transport.limits.fragmentBytes;
    req.pendingFrames = Math.max(1, Math.ceil(total / fragment));
    let list = this.transfers[peer]!;
    if (list === NO_TRANSFERS) this.transfers[peer] = list = [];
    list.push({ req, senderRequest, receiverRequest, offset: 0, fragment });
    this.activeTransfers++;
    if (this.queues[peer]!.empty) this.pump(peer);
  }

  /**
   * Send DATA fragments of the transfers to `peer` while its transport takes
   * them, one fragment per transfer in turn. Fragments leave only when no
   * other frame waits for this peer, and a new small message goes straight to
   * the transport between two fragments: one big transfer never holds small
   * messages back for its whole length.
   */
  private pump(peer: number): number {
    const list = this.transfers[peer]!;
    const transport = this.transports[peer]!;
    let moved = 0;
    while (list.length > 0) {
      const t = list[0]!;
      const total = t.req.payload.byteLength;
      const end = Math.min(total, t.offset + t.fragment);
      stampHeader(this.headerView, 0, FrameType.DATA, 0, 0, 0, 0, 0, 0, total, t.senderRequest, t.receiverRequest, t.offset);
      if (!transport.trySend(peer, this.header, t.req.payload.subarray(t.offset, end))) break;
      moved++;
      t.offset = end;
      list.shift();
      if (end < total) list.push(t);
      else this.activeTransfers--;
      this.frameSent(t.req);
    }
    return moved;
  }

  /** Retry queued frames, then fragments; returns how many the transports took. */
  flush(): number {
    let moved = 0;
    for (let peer = 0; peer < this.queues.length; peer++) {
      const q = this.queues[peer]!;
      if (!q.empty) {
        const transport = this.transports[peer]!;
        while (!q.empty) {
          const f = q.peek();
          if (!transport.trySend(peer, f.header, f.payload)) break;
          q.shift();
          this.queuedFrames--;
          moved++;
          if (f.sent) this.frameSent(f.sent);
        }
      }
      if (q.empty && this.transfers[peer]!.length > 0) moved += this.pump(peer);
    }
    return moved;
  }

  /** Is anything waiting for room? */
  get pending(): boolean {
    return this.activeTransfers > 0 || this.queuedFrames > 0;
  }

  /** Drop everything queued, failing the sends it belonged to. */
  private dropQueued(error: MpiError): void {
    for (const q of this.queues) {
      while (!q.empty) {
        const f = q.peek();
        q.shift();
        if (f.sent) this.failSend(f.sent, error);
      }
    }
    for (const list of this.transfers) for (const t of list.splice(0)) this.failSend(t.req, error);
    this.activeTransfers = 0;
    this.queuedFrames = 0;
  }
}

/**
 * Frames the transport had no room for, per peer, in order. Bounded by the
 * caller's outstanding sends: every queued frame belongs to a send that has
 * not resolved yet (or is a small protocol answer).
 */
interface OutFrame {
  header: Uint8Array;
  payload: Uint8Array | undefined;
  /** Called once the transport accepted the frame. */
  sent: SendRequest | undefined;
}

class OutQueue {
  items: OutFrame[] = [];
  head = 0;
  get empty(): boolean {
    return this.head === this.items.length;
  }
  push(f: OutFrame): void {
    this.items.push(f);
  }
  peek(): OutFrame {
    return this.items[this.head]!;
  }
  shift(): void {
    this.items[this.head++] = undefined as unknown as OutFrame;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    }
  }
}

/** The queue of every peer nothing was queued for yet (always empty: enqueue gives the peer its own). */
const NO_QUEUE = new OutQueue();
/** The transfer list of every peer no rendezvous went to yet (always empty: startTransfer gives the peer its own). */
const NO_TRANSFERS: Transfer[] = [];
