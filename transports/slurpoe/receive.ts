/**
 * The NIC's receive path: validate a frame, enforce the sequence window
 * (duplicates suppressed and re-ACKed, gaps NAKed once, anything outside the
 * window rejected), and place data: a SEND into the next posted receive
 * buffer, an RDMA WRITE straight into the registered region its key names,
 * an RDMA READ response into the requester's region. Every access is checked
 * against the MR table first, and a rejected frame writes nothing.
 */
import { decodeHeader, FRAME_HEADER_BYTES, type FrameHeader, emptyHeader, Flag, NakReason, Opcode } from "./codec.ts";
import { spinMicroseconds } from "./costs.ts";
import type { RejectReason } from "./counters.ts";
import { Access, Completion, M_KEY, Q_RECV_KEY, Q_RQ_POSTED, qpNumber, qpOwner } from "./layout.ts";
import { resolve } from "./memory.ts";
import type { NicPorts } from "./nic-ports.ts";
import type { QueuePair } from "./queue-pair.ts";

const header: FrameHeader = emptyHeader();

/** `q` is connected now: its held frames are received in the order they came, checked as any frame is. */
export function takeHeld(nic: NicPorts, q: QueuePair): void {
  const held = q.held!;
  q.held = undefined;
  for (const f of held) receiveFrame(nic, f.frame, f.port, f.address);
}

export function receiveFrame(nic: NicPorts, frame: Uint8Array, fromPort: number, fromAddress: string): void {
  nic.counters.add("framesReceived");
  nic.counters.add("bytesReceived", frame.byteLength);
  const h = header;
  const bad = decodeHeader(frame, h);
  if (bad) {
    stranger(nic, bad as RejectReason);
    return;
  }
  const who = qpOwner(h.dstQpn, nic.size);
  const local = who ? nic.layout.localIndex[who.owner]! : -1;
  if (!who || local < 0 || who.peer === who.owner || h.srcQpn !== qpNumber(who.peer, who.owner, nic.size)) {
    stranger(nic, "qpn");
    return;
  }
  const q = nic.qp(local, who.peer);
  spinMicroseconds(nic.profile.frameUs);
  // Authentication, before anything about the frame is believed: the QP's tag, and the address its host connected
  // it to. Only then may the frame move PSN, ACK or credit state.
  if (h.tagHigh !== q.tagInHigh || h.tagLow !== q.tagInLow) {
    stranger(nic, "tag");
    return;
  }
  if (!nic.connected(q)) {
    // The peer is ahead of our host's connect (both learn each other through the key-value store): hold the frame,
    // a window's worth at most, and take it once the QP is connected; beyond that drop it (the peer resends).
    q.held ??= [];
    if (q.held.length >= nic.profile.window * 2) nic.counters.reject("unconnected");
    else {
      q.held.push({ frame: frame.slice(), port: fromPort, address: fromAddress });
      nic.counters.add("heldUnconnected");
    }
    return;
  }
  if (q.held) takeHeld(nic, q);
  if (fromPort !== q.port || fromAddress !== q.address) {
    stranger(nic, "address");
    return;
  }
  if (h.opcode === Opcode.ACK || h.opcode === Opcode.NAK) {
    nic.acknowledged(q, h);
    return;
  }
  if (q.error) return;
  const d = (h.psn - q.expected) | 0;
  const window = nic.profile.window * 2;
  if (d < 0) {
    if (d < -window) nic.counters.reject("psnWindow");
    else {
      // Already placed: suppress, and ACK so a sender whose ACK was lost moves on.
      nic.counters.add("duplicatesSuppressed");
      nic.ack(q);
    }
    return;
  }
  if (d > 0) {
    if (d > window) nic.counters.reject("psnWindow");
    else {
      nic.counters.add("outOfOrder");
      // One NAK per gap; again only if the gap outlives half a retransmission timeout (the NAK or the resend was lost).
      const now = performance.now();
      if (!q.nakSent || now - q.nakAt > nic.profile.retransmitMs / 2) {
        q.nakSent = true;
        q.nakAt = now;
        nic.nak(q, NakReason.SEQUENCE);
      }
    }
    return;
  }
  const payload = frame.subarray(FRAME_HEADER_BYTES);
  let result: RejectReason | undefined;
  switch (h.opcode) {
    case Opcode.SEND:
      result = placeSend(nic, q, h, payload);
      break;
    case Opcode.RDMA_WRITE:
      result = placeWrite(nic, q, h, payload);
      break;
    case Opcode.RDMA_READ_REQUEST:
      result = acceptReadRequest(nic, q, h);
      break;
    default:
      result = placeReadResponse(nic, q, h, payload);
  }
  if (result) {
    nic.counters.reject(result);
    // Access errors are the sender's bug: tell it, so the work request fails instead of retrying forever.
    if (result === "key" || result === "bounds") nic.nak(q, NakReason.ACCESS);
    else if (result === "noReceive") nic.nak(q, NakReason.RECEIVER_NOT_READY);
    return;
  }
  accepted(nic, q, h.flags);
  if (h.opcode === Opcode.RDMA_READ_REQUEST) nic.pump(q);
}

function dma(nic: NicPorts, bytes: number): void {
  if (bytes > 0) spinMicroseconds(nic.profile.dmaSetupUs + (bytes / (nic.profile.dmaGBps * 1e9)) * 1e6);
}

/** A region check that names why it failed. */
function check(nic: NicPorts, local: number, key: number, at: number, length: number, access: number): number | RejectReason {
  const to = resolve(nic.ctl, nic.layout, local, key, at, length, access);
  if (to >= 0 && to + length <= nic.memory[local]!.byteLength) return to;
  // Same lookup with no length tells a bad key from a bad range.
  const slot = (key >>> 8) - 1;
  const known = slot >= 0 && slot < nic.layout.config.mrSlots && Atomics.load(nic.ctl, nic.layout.mr(local, slot) + M_KEY) === key;
  return known && resolve(nic.ctl, nic.layout, local, key, 0, 0, access) >= 0 ? "bounds" : "key";
}

function placeSend(nic: NicPorts, q: QueuePair, h: FrameHeader, payload: Uint8Array): RejectReason | undefined {
  const length = h.a;
  const offset = h.b;
  const config = nic.layout.config;
  if (h.flags & Flag.FIRST) {
    if (q.receive || offset !== 0) return "state";
    if (length > config.slotBytes) return "bounds";
    const posted = Atomics.load(nic.ctl, nic.layout.qpWord(q.index, Q_RQ_POSTED));
    if (((posted - q.received) | 0) <= 0) return "noReceive";
    q.receive = { at: q.received % config.rqDepth, length, received: 0 };
  } else if (!q.receive || q.receive.length !== length || q.receive.received !== offset) return "state";
  const r = q.receive!;
  const n = payload.byteLength;
  const last = (h.flags & Flag.LAST) !== 0;
  if (r.received + n > r.length || (last && r.received + n !== r.length) || (!last && n === 0)) return dropFirst(q, h, "bounds");
  if (last && !nic.completionRoom(q.local)) return dropFirst(q, h, "completionQueueFull");
  const key = Atomics.load(nic.ctl, nic.layout.qpWord(q.index, Q_RECV_KEY));
  const to = check(nic, q.local, key, nic.layout.receiveSlotAt(r.at) - nic.layout.receiveAt + r.received, n, Access.LOCAL_WRITE);
  if (typeof to === "string") return dropFirst(q, h, to);
  dma(nic, n);
  nic.memory[q.local]!.set(payload, to);
  r.received += n;
  if (last) {
    nic.complete(q.local, Completion.RECEIVE, q.peer, r.at, r.length, 0);
    q.received = (q.received + 1) | 0;
    q.receive = undefined;
  }
  return undefined;
}

/** A rejected FIRST packet must not leave a half-open placement behind. */
function dropFirst(q: QueuePair, h: FrameHeader, why: RejectReason): RejectReason {
  if (h.flags & Flag.FIRST) {
    if (h.opcode === Opcode.SEND) q.receive = undefined;
    else q.write = undefined;
  }
  return why;
}

function placeWrite(nic: NicPorts, q: QueuePair, h: FrameHeader, payload: Uint8Array): RejectReason | undefined {
  const key = h.a;
  const at = h.b;
  const length = h.c;
  if (h.flags & Flag.FIRST) {
    if (q.write) return "state";
    q.write = { at, length, received: 0 };
  } else if (!q.write || q.write.length !== length || q.write.at + q.write.received !== at) return "state";
  const w = q.write!;
  const n = payload.byteLength;
  const last = (h.flags & Flag.LAST) !== 0;
  if (w.received + n > w.length || (last && w.received + n !== w.length) || (!last && n === 0)) return dropFirst(q, h, "bounds");
  const immediate = last && (h.flags & Flag.IMMEDIATE) !== 0;
  if (immediate && !nic.completionRoom(q.local)) return dropFirst(q, h, "completionQueueFull");
  const to = check(nic, q.local, key, at, n, Access.REMOTE_WRITE);
  if (typeof to === "string") return dropFirst(q, h, to);
  dma(nic, n);
  nic.memory[q.local]!.set(payload, to);
  w.received += n;
  if (last) {
    if (immediate) nic.complete(q.local, Completion.WRITE_IMMEDIATE, q.peer, h.d, w.at, w.length);
    q.write = undefined;
  }
  return undefined;
}

function acceptReadRequest(nic: NicPorts, q: QueuePair, h: FrameHeader): RejectReason | undefined {
  if ((h.flags & (Flag.FIRST | Flag.LAST)) !== (Flag.FIRST | Flag.LAST)) return "state";
  const from = check(nic, q.local, h.a, h.b, h.c, Access.REMOTE_READ);
  if (typeof from === "string") return from;
  q.responses.push({ readId: h.d, source: from, total: h.c, sent: 0 });
  return undefined;
}

function placeReadResponse(nic: NicPorts, q: QueuePair, h: FrameHeader, payload: Uint8Array): RejectReason | undefined {
  const read = q.reads.get(h.a);
  if (!read) return "readId";
  const n = payload.byteLength;
  const last = (h.flags & Flag.LAST) !== 0;
  if (h.c !== read.total || h.b !== read.received) return "state";
  if (read.received + n > read.total || (last && read.received + n !== read.total) || (!last && n === 0)) return "bounds";
  if (last && !nic.completionRoom(q.local)) return "completionQueueFull";
  const to = check(nic, q.local, read.lkey, read.loffset + read.received, n, Access.LOCAL_WRITE);
  if (typeof to === "string") return to;
  dma(nic, n);
  nic.memory[q.local]!.set(payload, to);
  read.received += n;
  if (last) {
    q.reads.delete(h.a);
    nic.complete(q.local, Completion.READ_DONE, q.peer, read.requestIndex, read.total, 0);
  }
  return undefined;
}

/** A frame that is not from a peer of ours (malformed, for no QP of ours, a wrong tag or address): dropped and counted. */
function stranger(nic: NicPorts, reason: RejectReason): void {
  nic.counters.add("strangers");
  nic.counters.reject(reason);
}

/** ACK after this many in-order packets even without an ACK request (cumulative ACKs). */
const ACK_EVERY = 16;

/** Count an in-order packet; ACK when asked or every ACK_EVERY packets. */
function accepted(nic: NicPorts, q: QueuePair, flags: number): void {
  q.expected = (q.expected + 1) | 0;
  q.nakSent = false;
  q.unacked++;
  if (flags & Flag.ACK_REQUEST || q.unacked >= ACK_EVERY) nic.ack(q);
}
