/**
 * Everything that leaves a rank: frame headers are stamped into one scratch
 * buffer and handed to the peer's transport at once, or queued (a copy of the
 * header) when the transport has no room; rendezvous payloads go out one
 * fragment at a time, in turn with other transfers; eager credits limit how
 * many eager messages may wait unmatched at each receiver.
 */
import type { MpiError } from "../api/errors.ts";
import type { Transport } from "../transport.ts";
import { FrameType, HEADER_BYTES } from "./headers.ts";
import { OutQueue } from "./out-queue.ts";
import type { SendRequest } from "./requests.ts";

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

export interface OutboundOwner {
  readonly rank: number;
  /** A frame to oneself: deliver it (the view is only valid during the call). */
  loopback(frame: Uint8Array): void;
  /** One frame of `req` was handed over. */
  frameSent(req: SendRequest): void;
  /** Fail a send request that can no longer complete. */
  failSend(req: SendRequest, error: MpiError): void;
}

export class Outbound {
  /** The header of the next frame; `stamp` fills it. */
  readonly header = new Uint8Array(HEADER_BYTES);
  readonly headerView = new DataView(this.header.buffer);
  private readonly owner: OutboundOwner;
  private readonly transports: readonly (Transport | undefined)[];
  private readonly queues: OutQueue[];
  /** Rendezvous payloads being streamed to each peer, taken in turn (see pump). */
  private readonly transfers: Transfer[][];
  private activeTransfers = 0;
  /** Frames waiting in the queues (so `pending` costs nothing on every poll). */
  private queuedFrames = 0;
  /** Eager sends each peer still accepts, and consumed eager messages not yet credited back. */
  private readonly credits: Int32Array;
  private readonly owed: Int32Array;

  constructor(owner: OutboundOwner, transports: readonly (Transport | undefined)[]) {
    this.owner = owner;
    this.transports = transports;
    const n = transports.length;
    this.queues = Array.from({ length: n }, () => new OutQueue());
    this.transfers = Array.from({ length: n }, () => []);
    this.credits = new Int32Array(n).fill(EAGER_CREDITS);
    this.owed = new Int32Array(n);
  }

  stamp(
    type: number,
    kind: number,
    flags: number,
    context: number,
    source: number,
    tag: number,
    sequence: number,
    totalBytes: number,
    senderRequest: number,
    receiverRequest: number,
    offset: number,
  ): void {
    const h = this.headerView;
    h.setUint8(0, type);
    h.setUint8(1, kind);
    h.setUint16(2, flags, true);
    h.setInt32(4, context, true);
    h.setInt32(8, source, true);
    h.setInt32(12, tag, true);
    h.setUint32(16, sequence, true);
    h.setUint32(20, totalBytes, true);
    h.setUint32(24, senderRequest, true);
    h.setUint32(28, receiverRequest, true);
    h.setUint32(32, offset, true);
    h.setUint32(36, 0, true);
  }

  /** Hand the stamped header plus `payload` to the peer's transport, or queue a copy of the header. */
  push(peer: number, payload: Uint8Array | undefined, sent: SendRequest | undefined): void {
    if (this.pushNow(peer, payload)) {
      if (sent) this.owner.frameSent(sent);
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
      const n = payload ? payload.byteLength : 0;
      const frame = new Uint8Array(HEADER_BYTES + n);
      frame.set(this.header);
      if (payload) frame.set(payload, HEADER_BYTES);
      this.owner.loopback(frame);
      return true;
    }
    return this.queues[peer]!.empty && transport.trySend(peer, this.header, payload);
  }

  /** Queue the stamped header (a copy) plus `payload` for `flush` to retry. */
  enqueue(peer: number, payload: Uint8Array | undefined, sent: SendRequest | undefined): void {
    this.queues[peer]!.push({ header: this.header.slice(), payload, sent });
    this.queuedFrames++;
  }

  /** May the next small message to `peer` go eagerly? Takes a credit when it may. */
  takeEagerCredit(peer: number): boolean {
    if (!this.transports[peer]) return true;
    if (this.credits[peer]! <= 0) return false;
    this.credits[peer]!--;
    return true;
  }

  addCredits(peer: number, n: number): void {
    this.credits[peer]! += n;
  }

  /** An eager message from `peer` left this rank's buffers: credit it back (in batches). */
  returnCredit(peer: number): void {
    if (peer === this.owner.rank) return;
    const owed = this.owed[peer]! + 1;
    if (owed < EAGER_CREDITS / 2) {
      this.owed[peer] = owed;
      return;
    }
    this.owed[peer] = 0;
    this.stamp(FrameType.CREDIT, 0, 0, 0, 0, 0, 0, owed, 0, 0, 0);
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
      this.stamp(FrameType.DATA, 0, 0, 0, 0, 0, 0, total, senderRequest, receiverRequest, 0);
      this.push(peer, req.payload, req);
      return;
    }
    const fragment = transport.limits.fragmentBytes;
    req.pendingFrames = Math.max(1, Math.ceil(total / fragment));
    this.transfers[peer]!.push({ req, senderRequest, receiverRequest, offset: 0, fragment });
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
      this.stamp(FrameType.DATA, 0, 0, 0, 0, 0, 0, total, t.senderRequest, t.receiverRequest, t.offset);
      if (!transport.trySend(peer, this.header, t.req.payload.subarray(t.offset, end))) break;
      moved++;
      t.offset = end;
      list.shift();
      if (end < total) list.push(t);
      else this.activeTransfers--;
      this.owner.frameSent(t.req);
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
          if (f.sent) this.owner.frameSent(f.sent);
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
  failAll(error: MpiError): void {
    for (const q of this.queues) {
      while (!q.empty) {
        const f = q.peek();
        q.shift();
        if (f.sent) this.owner.failSend(f.sent, error);
      }
    }
    for (const list of this.transfers) for (const t of list.splice(0)) this.owner.failSend(t.req, error);
    this.activeTransfers = 0;
    this.queuedFrames = 0;
  }
}
