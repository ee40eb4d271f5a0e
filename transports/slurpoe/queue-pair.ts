/**
 * The NIC's private state for one queue pair: what it fetched from the send
 * queue, what is in flight (go-back-N), and where the current incoming
 * message is being placed. The host's side of the QP is in shared memory
 * (layout.ts); this is what the NIC processor keeps in its own SRAM.
 */

/** A work request as fetched (copied) from the send queue. */
export interface WorkRequest {
  /** Position in the send queue, cumulative. */
  index: number;
  opcode: number;
  lkey: number;
  loffset: number;
  length: number;
  rkey: number;
  roffset: number;
  imm: number;
}

export interface InFlight {
  psn: number;
  frame: Uint8Array;
  /** Acknowledging this packet completes a work request. */
  completesRequest: boolean;
  sentAt: number;
  /** Sent more than once: its ACK says nothing about the round trip (Karn's rule). */
  resent: boolean;
}

/** An RDMA READ this side asked for, waiting for its response packets. */
export interface PendingRead {
  lkey: number;
  loffset: number;
  total: number;
  received: number;
  requestIndex: number;
}

/** A READ this side must answer (responder), sent as RDMA_READ_RESPONSE packets. */
export interface ReadResponse {
  readId: number;
  /** Byte offset in host memory of the source (already checked against the region). */
  source: number;
  total: number;
  sent: number;
}

/** A multi-packet message being placed (SEND into a receive slot, or an RDMA WRITE). */
export interface Placement {
  /** SEND: receive slot; WRITE: offset of the first byte in the region. */
  at: number;
  length: number;
  received: number;
}

export class QueuePair {
  readonly index: number;
  readonly local: number;
  readonly owner: number;
  readonly peer: number;
  /** This QP's number, and the peer's QP number for this connection. */
  readonly qpn: number;
  readonly remoteQpn: number;
  // ---- requester (send) side
  fetched: WorkRequest[] = [];
  fetchedCount = 0;
  /** Send-queue tail and doorbell writes as of the last doorbell the NIC handled. */
  seenTail = 0;
  seenWrites = 0;
  current: WorkRequest | undefined;
  /** Source byte offset in host memory of the current request's payload. */
  currentSource = 0;
  currentSent = 0;
  done = 0;
  sendNext = 0;
  sendUnacked = 0;
  inflight: InFlight[] = [];
  inflightHead = 0;
  /** SENDs started, against receives the peer has posted (its credits). */
  sendsStarted = 0;
  remotePosted: number;
  stalled = false;
  lastProgress = 0;
  backoff = 1;
  /** Smoothed round trip and its variation, ms (RFC 6298), for the retransmission timeout. */
  srtt = 0;
  wentBackTo = -1;
  /** A tail-loss probe went out since the last progress. */
  probed = false;
  wentBackAt = 0;
  rttvar = 0;
  reads = new Map<number, PendingRead>();
  nextReadId = 1;
  responses: ReadResponse[] = [];
  // ---- responder (receive) side
  expected = 0;
  nakSent = false;
  nakAt = 0;
  unacked = 0;
  received = 0;
  receive: Placement | undefined;
  write: Placement | undefined;
  advertisedPosted = -1;
  advertisedCredit = -1;
  /**
   * The peer's NIC, as the host connected the QP (never learned from a frame:
   * whoever sends first is not thereby the peer). 0 until connected.
   */
  port = 0;
  address = "";
  /** This QP's tag (frames for it must carry it) and the peer QP's (stamped on frames to it). */
  tagInHigh = 0;
  tagInLow = 0;
  tagOutHigh = 0;
  tagOutLow = 0;
  error = 0;
  /** Frames with this QP's tag that came before its host connected it: held (receive.ts), then taken in order. */
  held: { frame: Uint8Array; port: number; address: string }[] | undefined;

  constructor(index: number, local: number, owner: number, peer: number, qpn: number, remoteQpn: number, remotePosted: number) {
    this.index = index;
    this.local = local;
    this.owner = owner;
    this.peer = peer;
    this.qpn = qpn;
    this.remoteQpn = remoteQpn;
    this.remotePosted = remotePosted;
  }

  get inflightCount(): number {
    return this.inflight.length - this.inflightHead;
  }

  pushInflight(f: InFlight): void {
    this.inflight.push(f);
  }

  shiftInflight(): InFlight {
    const f = this.inflight[this.inflightHead]!;
    this.inflight[this.inflightHead++] = undefined as unknown as InFlight;
    if (this.inflightHead > 1024 && this.inflightHead * 2 > this.inflight.length) {
      this.inflight = this.inflight.slice(this.inflightHead);
      this.inflightHead = 0;
    }
    return f;
  }

  /** Work waiting to be sent (posted, fetched, current, or READ responses). */
  hasSendWork(): boolean {
    return this.current !== undefined || this.fetched.length > 0 || this.responses.length > 0 || this.seenTail !== this.fetchedCount;
  }
}
