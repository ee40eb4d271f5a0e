/**
 * The NIC processor: what the embedded core on the intelligent NIC does. It
 * wakes on a doorbell, fetches descriptors from the send queues in batches,
 * DMA-reads their payload from registered host memory, frames it as SLURPoE
 * packets (go-back-N over a window, cumulative ACKs, credits) and puts them
 * on the wire; arriving packets are handled in receive.ts. Completions go to
 * the rank's completion queue and, in interrupt mode, raise a (coalesced)
 * interrupt. Each step pays its profile cost by busy-waiting.
 *
 * It is plain logic driven from outside (nic-worker.ts in a thread; tests
 * drive it directly): `doorbells()`, `receive(frame)`, `tick()` and
 * `interrupts()`.
 */
import { encodeHeader, FRAME_HEADER_BYTES, writeTag, type FrameHeader, emptyHeader, ETHERNET_EXTRA_BYTES, IP_UDP_BYTES, NakReason, Opcode, Flag } from "./codec.ts";
import { nowMs, spinMicroseconds, spinUntil } from "./costs.ts";
import { NicCounters } from "./counters.ts";
import { Access, Completion, intToIp, type LayoutConfig, NicLayout, Q_CREDIT, Q_DIRTY, Q_DOORBELL_WRITES, Q_ERROR } from "./layout.ts";
import { Q_TAG_IN_HIGH, Q_TAG_IN_LOW, Q_TAG_OUT_HIGH, Q_TAG_OUT_LOW } from "./layout.ts";
import { Q_REMOTE_CREDIT, Q_REMOTE_IP, Q_REMOTE_PORT, Q_RQ_POSTED, Q_SQ_DONE, Q_SQ_TAIL, Q_WANTS_ROOM, qpNumber, W_IMM, W_LENGTH } from "./layout.ts";
import { W_LKEY, W_LOFFSET, W_OPCODE, W_RKEY, W_ROFFSET, WorkOp } from "./layout.ts";
import { resolve } from "./memory.ts";
import type { NicMode, NicProfile } from "./profiles.ts";
import { type InFlight, QueuePair, type WorkRequest } from "./queue-pair.ts";
import { receiveFrame } from "./receive.ts";
import { retransmit, sampleRoundTrip, tick, timeout } from "./reliability.ts";
import type { NicPorts } from "./nic-ports.ts";
import { CompletionQueues } from "./completions.ts";

/** What a NIC instance is made of; structured-cloneable, so it crosses into the NIC thread. */
export interface NicShared {
  control: SharedArrayBuffer;
  /** Host memory, one buffer per local rank. */
  memory: SharedArrayBuffer[];
  counters: SharedArrayBuffer;
  layout: LayoutConfig;
  profile: NicProfile;
  mode: NicMode;
}

/** Where the engine's frames go (the faulty wire in front of a UDP socket). */
export type FrameSink = (frame: Uint8Array, port: number, address: string) => void;

export class NicEngine implements NicPorts {
  readonly layout: NicLayout;
  readonly ctl: Int32Array;
  readonly memory: Uint8Array[];
  readonly counters: NicCounters;
  readonly profile: NicProfile;
  readonly mode: NicMode;
  readonly size: number;
  /** Largest payload in one packet. */
  readonly packetPayload: number;
  private readonly sink: FrameSink;
  private readonly qps: (QueuePair | undefined)[];
  /** Queue pairs in use, for the timers. */
  readonly active: QueuePair[] = [];
  readonly completions: CompletionQueues;
  private wireFreeAt = 0;
  private readonly header: FrameHeader = emptyHeader();
  /** ms per byte of DMA, and per byte on the wire. */
  private readonly dmaMsPerByte: number;
  private readonly wireMsPerByte: number;

  constructor(shared: NicShared, sink: FrameSink) {
    this.layout = new NicLayout(shared.layout);
    this.ctl = new Int32Array(shared.control);
    this.memory = shared.memory.map((m) => new Uint8Array(m));
    this.counters = new NicCounters(shared.counters);
    this.profile = shared.profile;
    this.mode = shared.mode;
    this.size = shared.layout.size;
    this.sink = sink;
    this.packetPayload = this.profile.mtu - IP_UDP_BYTES - FRAME_HEADER_BYTES;
    const l = shared.layout.ranks.length;
    this.qps = new Array(l * this.size).fill(undefined);
    this.completions = new CompletionQueues(this.ctl, this.layout, this.counters, this.profile, this.mode);
    this.dmaMsPerByte = 1 / (this.profile.dmaGBps * 1e6);
    this.wireMsPerByte = 8 / (this.profile.lineRateGbps * 1e6);
  }

  /** The QP of local rank `local` for `peer`, created on first use. */
  qp(local: number, peer: number): QueuePair {
    const i = this.layout.qpIndex(local, peer);
    let q = this.qps[i];
    if (!q) {
      const owner = this.layout.config.ranks[local]!;
      q = new QueuePair(i, local, owner, peer, qpNumber(owner, peer, this.size), qpNumber(peer, owner, this.size), this.layout.config.rqDepth);
      q.tagInHigh = Atomics.load(this.ctl, this.layout.qpWord(i, Q_TAG_IN_HIGH)) >>> 0;
      q.tagInLow = Atomics.load(this.ctl, this.layout.qpWord(i, Q_TAG_IN_LOW)) >>> 0;
      this.qps[i] = q;
      this.active.push(q);
    }
    return q;
  }

  // ---- doorbells and sending ------------------------------------------------

  /**
   * Look at every doorbell register; fetch and send what was posted. Each
   * doorbell write the host made costs the NIC its PCIe write and one
   * descriptor DMA read (Kalia et al.: N requests under one doorbell are one
   * MMIO and one DMA read instead of N of each). Returns true when any rang.
   */
  doorbells(): boolean {
    const ctl = this.ctl;
    const l = this.layout.config.ranks.length;
    let rang = false;
    for (let local = 0; local < l; local++) {
      for (let peer = 0; peer < this.size; peer++) {
        const index = this.layout.qpIndex(local, peer);
        const at = this.layout.qpWord(index, 0);
        if (Atomics.load(ctl, at + Q_DIRTY) !== 0) {
          Atomics.store(ctl, at + Q_DIRTY, 0);
          this.ack(this.qp(local, peer));
        }
        const writes = Atomics.load(ctl, at + Q_DOORBELL_WRITES);
        const existing = this.qps[index];
        if (writes === (existing ? existing.seenWrites : 0)) continue;
        const q = existing ?? this.qp(local, peer);
        const fresh = (writes - q.seenWrites) | 0;
        q.seenWrites = writes;
        q.seenTail = Atomics.load(ctl, at + Q_SQ_TAIL);
        rang = true;
        this.counters.add("doorbellsSeen", fresh);
        // Each doorbell's PCIe write reaches the NIC processor.
        this.pay(this.profile.doorbellNicUs * fresh);
        this.fetch(q, fresh);
        this.pump(q);
      }
    }
    return rang;
  }

  private pay(us: number): void {
    spinMicroseconds(us);
  }

  /**
   * Copy the descriptors doorbells announced out of the send queue: one DMA
   * read per doorbell write (up to descriptorFetchBatch descriptors each);
   * `writes` 0 fetches leftovers in full batches.
   */
  private fetch(q: QueuePair, writes = 0): boolean {
    // Only what a doorbell announced, and never more than the queue holds (a confused host is clamped).
    const available = Math.min((q.seenTail - q.fetchedCount) | 0, this.layout.config.sqDepth - ((q.fetchedCount - q.done) | 0));
    if (available <= 0) return false;
    const n = available;
    const reads = Math.max(Math.min(writes, n), Math.ceil(n / this.profile.descriptorFetchBatch));
    this.pay(this.profile.descriptorFetchUs * reads);
    this.counters.add("descriptorFetches", reads);
    const ctl = this.ctl;
    for (let k = 0; k < n; k++) {
      const at = this.layout.wqe(q.index, q.fetchedCount);
      q.fetched.push({
        index: q.fetchedCount,
        opcode: ctl[at + W_OPCODE]!,
        lkey: ctl[at + W_LKEY]!,
        loffset: ctl[at + W_LOFFSET]! >>> 0,
        length: ctl[at + W_LENGTH]! >>> 0,
        rkey: ctl[at + W_RKEY]!,
        roffset: ctl[at + W_ROFFSET]! >>> 0,
        imm: ctl[at + W_IMM]!,
      });
      q.fetchedCount = (q.fetchedCount + 1) | 0;
    }
    return true;
  }

  /** Send what the window and the peer's credits allow on `q`. */
  pump(q: QueuePair): void {
    if (q.error) return;
    while (q.sendNext - q.sendUnacked < this.profile.window) {
      if (q.responses.length > 0) {
        this.sendReadResponse(q);
        continue;
      }
      if (!q.current) {
        if (q.fetched.length === 0 && !this.fetch(q)) return;
        const w = q.fetched[0]!;
        if (w.opcode === WorkOp.SEND && ((q.sendsStarted - q.remotePosted) | 0) >= 0) {
          // The peer has no receive posted for another SEND: wait for its ACK to bring credits.
          if (!q.stalled) this.counters.add("creditStalls");
          q.stalled = true;
          return;
        }
        q.stalled = false;
        q.fetched.shift();
        this.pay(this.profile.descriptorUs);
        this.counters.add("descriptorsProcessed");
        if (!this.begin(q, w)) return;
        if (!q.current) continue;
      }
      this.sendSegment(q);
    }
  }

  /** Check a work request against the MR table and make it current. False when it broke the QP. */
  private begin(q: QueuePair, w: WorkRequest): boolean {
    const memory = this.memory[q.local]!;
    if (w.opcode === WorkOp.RDMA_READ) {
      const sink = resolve(this.ctl, this.layout, q.local, w.lkey, w.loffset, w.length, Access.LOCAL_WRITE);
      if (sink < 0 || sink + w.length > memory.byteLength) return this.breakQp(q, NakReason.ACCESS);
      const readId = q.nextReadId++;
      q.reads.set(readId, { lkey: w.lkey, loffset: w.loffset, total: w.length, received: 0, requestIndex: w.index });
      const h = this.stamp(Opcode.RDMA_READ_REQUEST, Flag.FIRST | Flag.LAST | Flag.ACK_REQUEST, q, w.rkey, w.roffset, w.length, readId);
      this.transmitSequenced(q, h, undefined, true);
      return true;
    }
    if (w.opcode !== WorkOp.SEND && w.opcode !== WorkOp.RDMA_WRITE && w.opcode !== WorkOp.RDMA_WRITE_IMM) return this.breakQp(q, NakReason.ACCESS);
    const source = resolve(this.ctl, this.layout, q.local, w.lkey, w.loffset, w.length, Access.LOCAL_READ);
    if (source < 0 || source + w.length > memory.byteLength) return this.breakQp(q, NakReason.ACCESS);
    if (w.opcode === WorkOp.SEND) q.sendsStarted = (q.sendsStarted + 1) | 0;
    q.current = w;
    q.currentSource = source;
    q.currentSent = 0;
    return true;
  }

  /** One packet of the current SEND or RDMA WRITE. */
  private sendSegment(q: QueuePair): void {
    const w = q.current!;
    const n = Math.min(w.length - q.currentSent, this.packetPayload);
    const first = q.currentSent === 0;
    const last = q.currentSent + n === w.length;
    let flags = (first ? Flag.FIRST : 0) | (last ? Flag.LAST | Flag.ACK_REQUEST : 0);
    let h: FrameHeader;
    if (w.opcode === WorkOp.SEND) h = this.stamp(Opcode.SEND, flags, q, w.length, q.currentSent, 0, 0);
    else {
      if (w.opcode === WorkOp.RDMA_WRITE_IMM) flags |= Flag.IMMEDIATE;
      h = this.stamp(Opcode.RDMA_WRITE, flags, q, w.rkey, w.roffset + q.currentSent, w.length, w.imm);
    }
    const from = q.currentSource + q.currentSent;
    this.transmitSequenced(q, h, this.memory[q.local]!.subarray(from, from + n), last);
    q.currentSent += n;
    if (last) q.current = undefined;
  }

  private sendReadResponse(q: QueuePair): void {
    const r = q.responses[0]!;
    const n = Math.min(r.total - r.sent, this.packetPayload);
    const last = r.sent + n === r.total;
    const flags = (r.sent === 0 ? Flag.FIRST : 0) | (last ? Flag.LAST | Flag.ACK_REQUEST : 0);
    const h = this.stamp(Opcode.RDMA_READ_RESPONSE, flags, q, r.readId, r.sent, r.total, 0);
    this.transmitSequenced(q, h, this.memory[q.local]!.subarray(r.source + r.sent, r.source + r.sent + n), false);
    r.sent += n;
    if (last) q.responses.shift();
  }

  stamp(opcode: number, flags: number, q: QueuePair, a: number, b: number, c: number, d: number): FrameHeader {
    const h = this.header;
    h.opcode = opcode;
    h.flags = flags;
    h.dstQpn = q.remoteQpn;
    h.srcQpn = q.qpn;
    h.psn = 0;
    h.a = a;
    h.b = b;
    h.c = c;
    h.d = d;
    return h;
  }

  /** DMA-read `payload` into a new frame, give it the next PSN, keep it for retransmission, send it. */
  private transmitSequenced(q: QueuePair, h: FrameHeader, payload: Uint8Array | undefined, completesRequest: boolean): void {
    const n = payload ? payload.byteLength : 0;
    const frame = new Uint8Array(FRAME_HEADER_BYTES + n);
    if (payload && n > 0) {
      this.pay(this.profile.dmaSetupUs + n * this.dmaMsPerByte * 1000);
      frame.set(payload, FRAME_HEADER_BYTES);
    }
    h.psn = q.sendNext;
    h.payloadBytes = n;
    encodeHeader(frame, h);
    if (q.inflightCount === 0) q.lastProgress = nowMs();
    q.sendNext = (q.sendNext + 1) | 0;
    q.pushInflight({ psn: h.psn, frame, completesRequest, sentAt: nowMs(), resent: false });
    this.transmit(q, frame);
  }

  /** Put a frame on the wire at line rate. */
  transmit(q: QueuePair, frame: Uint8Array): void {
    // Not connected yet: the frame stays in flight and goes out on retransmission.
    if (!this.connected(q)) return;
    // The tag goes on here, not when the frame was made: a frame made before the QP was connected is sent later.
    writeTag(frame, q.tagOutHigh, q.tagOutLow);
    const now = nowMs();
    if (this.wireFreeAt > now) spinUntil(this.wireFreeAt);
    this.wireFreeAt = Math.max(now, this.wireFreeAt) + (frame.byteLength + IP_UDP_BYTES + ETHERNET_EXTRA_BYTES) * this.wireMsPerByte;
    this.counters.add("framesSent");
    this.counters.add("bytesSent", frame.byteLength);
    this.sink(frame, q.port, q.address);
  }

  /**
   * Whether the host has connected `q` (given it the peer's address and tag);
   * the first time it has, take them from the QP's words. A frame stamped
   * before that carries no tag, but it is not sent before then either.
   */
  connected(q: QueuePair): boolean {
    if (q.port) return true;
    const at = this.layout.qpWord(q.index, 0);
    const port = Atomics.load(this.ctl, at + Q_REMOTE_PORT);
    if (port === 0) return false;
    q.tagOutHigh = Atomics.load(this.ctl, at + Q_TAG_OUT_HIGH) >>> 0;
    q.tagOutLow = Atomics.load(this.ctl, at + Q_TAG_OUT_LOW) >>> 0;
    q.address = intToIp(Atomics.load(this.ctl, at + Q_REMOTE_IP));
    q.port = port;
    return true;
  }

  /** A control frame (ACK or NAK) carrying our cumulative position and credits. */
  private control(q: QueuePair, opcode: number, reason: number, flags = 0): void {
    const at = this.layout.qpWord(q.index, 0);
    const posted = Atomics.load(this.ctl, at + Q_RQ_POSTED);
    const credit = Atomics.load(this.ctl, at + Q_CREDIT);
    const h = opcode === Opcode.ACK ? this.stamp(Opcode.ACK, flags, q, posted, credit, 0, 0) : this.stamp(Opcode.NAK, 0, q, reason, posted, credit, 0);
    h.psn = q.expected;
    h.payloadBytes = 0;
    const frame = new Uint8Array(FRAME_HEADER_BYTES);
    encodeHeader(frame, h);
    q.unacked = 0;
    q.advertisedPosted = posted;
    q.advertisedCredit = credit;
    this.transmit(q, frame);
  }

  ack(q: QueuePair): void {
    this.counters.add("acksSent");
    this.control(q, Opcode.ACK, 0);
  }

  /** An ACK that asks for one back: how a sender stalled on credits learns them when the peer's update was lost. */
  probe(q: QueuePair): void {
    this.counters.add("probesSent");
    this.control(q, Opcode.ACK, 0, Flag.ACK_REQUEST);
  }

  nak(q: QueuePair, reason: number): void {
    this.counters.add("naksSent");
    this.control(q, Opcode.NAK, reason);
  }

  /** An ACK or NAK arrived: advance the window, take the peer's credits, and go back on a NAK. */
  acknowledged(q: QueuePair, h: FrameHeader): void {
    const nak = h.opcode === Opcode.NAK;
    const posted = nak ? h.b : h.a;
    const credit = nak ? h.c : h.b;
    const d = (h.psn - q.sendUnacked) | 0;
    if (d > ((q.sendNext - q.sendUnacked) | 0)) {
      this.counters.reject("ackRange");
      return;
    }
    this.counters.add(nak ? "naksReceived" : "acksReceived");
    if (!nak && h.flags & Flag.ACK_REQUEST) this.ack(q);
    const at = this.layout.qpWord(q.index, 0);
    let room = false;
    if (d > 0) {
      const now = nowMs();
      let newest: InFlight | undefined;
      for (let k = 0; k < d; k++) {
        newest = q.shiftInflight();
        if (newest.completesRequest) q.done = (q.done + 1) | 0;
      }
      if (newest && !newest.resent) sampleRoundTrip(q, now - newest.sentAt);
      q.sendUnacked = h.psn;
      q.lastProgress = now;
      q.probed = false;
      q.backoff = 1;
      Atomics.store(this.ctl, at + Q_SQ_DONE, q.done);
      room = true;
    }
    if (((posted - q.remotePosted) | 0) > 0) q.remotePosted = posted;
    if (Atomics.load(this.ctl, at + Q_REMOTE_CREDIT) !== credit) {
      Atomics.store(this.ctl, at + Q_REMOTE_CREDIT, credit);
      room = true;
    }
    if (room && Atomics.load(this.ctl, at + Q_WANTS_ROOM) !== 0) {
      Atomics.store(this.ctl, at + Q_WANTS_ROOM, 0);
      this.complete(q.local, Completion.ROOM, q.peer, 0, 0, 0);
    }
    if (nak) {
      if (h.a === NakReason.ACCESS) {
        this.breakQp(q, NakReason.ACCESS);
        return;
      }
      // Go back N: everything from the NAK's PSN again (RNR too: the receiver may have room now).
      // A repeated NAK for the point we already went back to (the rest of the old burst still arriving) is ignored.
      if (h.a === NakReason.SEQUENCE && (q.wentBackTo !== h.psn || nowMs() - q.wentBackAt > this.timeout(q) / 2)) {
        q.wentBackTo = h.psn;
        q.wentBackAt = nowMs();
        retransmit(this, q);
      }
    }
    this.pump(q);
  }

  /** A fatal access error: the QP stops and the host gets an ERROR completion. */
  breakQp(q: QueuePair, reason: number): false {
    if (!q.error) {
      q.error = reason;
      Atomics.store(this.ctl, this.layout.qpWord(q.index, Q_ERROR), reason);
      this.complete(q.local, Completion.ERROR, q.peer, reason, 0, 0);
    }
    return false;
  }

  // ---- receiving ----------------------------------------------------------------

  /** One datagram from the wire; `from` is where it came from (it must be where the QP was connected to). */
  receive(frame: Uint8Array, fromPort: number, fromAddress: string): void {
    receiveFrame(this, frame, fromPort, fromAddress);
  }

  // ---- completions, interrupts and timers (completions.ts, reliability.ts) -------

  completionRoom(local: number): boolean {
    return this.completions.room(local);
  }

  complete(local: number, type: number, peer: number, a: number, b: number, c: number): boolean {
    return this.completions.write(local, type, peer, a, b, c);
  }

  /** Raise interrupts whose coalescing delay ran out; returns the next deadline (ms) or 0. */
  interrupts(now = nowMs()): number {
    return this.completions.due(now);
  }

  /** Periodic work (every millisecond): retransmission timeouts, probes, delayed ACKs, credit updates. */
  tick(now = nowMs()): void {
    tick(this, now);
  }

  timeout(q: QueuePair): number {
    return timeout(this.profile.retransmitMs, q);
  }

  /** Whether some QP still has packets in flight or work queued (the worker keeps ticking). */
  busy(): boolean {
    for (const q of this.active) if (q.inflightCount > 0 || q.unacked > 0 || q.held) return true;
    return false;
  }
}
