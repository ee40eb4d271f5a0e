/**
 * The SLURPoE frame codec: one frame per UDP datagram, a fixed 44-byte header
 * in network byte order followed by the payload. Fixed layout (as in RoCE's
 * BTH + one extension header) so the NIC parses a frame with a handful of
 * loads and no allocation. The layout table is in docs/slurpoe.md.
 *
 * The last 8 header bytes are the queue pair's tag: a 64-bit secret the
 * receiving QP chose at random and gave its peer through the job's
 * authenticated key-value store (RoCE's Q_Key, made unguessable). A frame
 * whose tag is not the one its destination QP expects is a stranger's.
 */

export const FRAME_MAGIC = 0x534c; // "SL"
/** 2: the header carries the queue pair's tag. */
export const FRAME_VERSION = 2;
export const FRAME_HEADER_BYTES = 44;
/** IPv4 (20) + UDP (8) headers inside the MTU. */
export const IP_UDP_BYTES = 28;
/** Ethernet header + FCS (18) + preamble and inter-frame gap (20): bytes on the wire outside the MTU. */
export const ETHERNET_EXTRA_BYTES = 38;

export const Opcode = {
  SEND: 1,
  RDMA_WRITE: 2,
  RDMA_READ_REQUEST: 3,
  RDMA_READ_RESPONSE: 4,
  ACK: 5,
  NAK: 6,
} as const;

export const Flag = {
  FIRST: 1,
  LAST: 2,
  /** The sender wants an ACK for this packet now (end of a message). */
  ACK_REQUEST: 4,
  /** RDMA_WRITE: field d carries an immediate value and the last packet makes a completion. */
  IMMEDIATE: 8,
} as const;
const ALL_FLAGS = 15;

export const NakReason = {
  /** A packet arrived ahead of the expected sequence number: go back to `psn`. */
  SEQUENCE: 1,
  /** No receive buffer was posted (receiver not ready): retry later. */
  RECEIVER_NOT_READY: 2,
  /** Bad key, or offset/length outside the memory region: the work request fails. */
  ACCESS: 3,
} as const;

/** A decoded header. Field meaning of a-d depends on the opcode (docs/slurpoe.md). */
export interface FrameHeader {
  opcode: number;
  flags: number;
  payloadBytes: number;
  dstQpn: number;
  srcQpn: number;
  psn: number;
  a: number;
  b: number;
  c: number;
  d: number;
  /** The destination QP's tag, high and low 32 bits. */
  tagHigh: number;
  tagLow: number;
}

export function emptyHeader(): FrameHeader {
  return { opcode: 0, flags: 0, payloadBytes: 0, dstQpn: 0, srcQpn: 0, psn: 0, a: 0, b: 0, c: 0, d: 0, tagHigh: 0, tagLow: 0 };
}

/** Write `h` into the first 36 bytes of `frame` (which must hold the payload already or later). */
export function encodeHeader(frame: Uint8Array, h: FrameHeader): void {
  const v = new DataView(frame.buffer, frame.byteOffset, FRAME_HEADER_BYTES);
  v.setUint16(0, FRAME_MAGIC);
  v.setUint8(2, FRAME_VERSION);
  v.setUint8(3, h.opcode);
  v.setUint8(4, h.flags);
  v.setUint8(5, 0);
  v.setUint16(6, h.payloadBytes);
  v.setUint32(8, h.dstQpn >>> 0);
  v.setUint32(12, h.srcQpn >>> 0);
  v.setUint32(16, h.psn >>> 0);
  v.setUint32(20, h.a >>> 0);
  v.setUint32(24, h.b >>> 0);
  v.setUint32(28, h.c >>> 0);
  v.setUint32(32, h.d >>> 0);
  v.setUint32(36, h.tagHigh >>> 0);
  v.setUint32(40, h.tagLow >>> 0);
}

/** Put the destination QP's tag into an encoded frame (bytes 36-43, big-endian). */
export function writeTag(frame: Uint8Array, high: number, low: number): void {
  frame[36] = high >>> 24;
  frame[37] = high >>> 16;
  frame[38] = high >>> 8;
  frame[39] = high;
  frame[40] = low >>> 24;
  frame[41] = low >>> 16;
  frame[42] = low >>> 8;
  frame[43] = low;
}

/** A whole frame: header plus a copy of `payload`. */
export function encodeFrame(h: FrameHeader, payload?: Uint8Array): Uint8Array {
  const n = payload ? payload.byteLength : 0;
  const frame = new Uint8Array(FRAME_HEADER_BYTES + n);
  encodeHeader(frame, { ...h, payloadBytes: n });
  if (payload) frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Parse `frame` into `out`. Returns undefined when the frame is well formed,
 * or the reason it is not (a counter name: the NIC counts rejects by reason).
 */
export function decodeHeader(frame: Uint8Array, out: FrameHeader): string | undefined {
  if (frame.byteLength < FRAME_HEADER_BYTES) return "short";
  const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (v.getUint16(0) !== FRAME_MAGIC) return "magic";
  if (v.getUint8(2) !== FRAME_VERSION) return "version";
  const opcode = v.getUint8(3);
  if (opcode < Opcode.SEND || opcode > Opcode.NAK) return "opcode";
  const flags = v.getUint8(4);
  if ((flags & ~ALL_FLAGS) !== 0 || v.getUint8(5) !== 0) return "flags";
  const payloadBytes = v.getUint16(6);
  if (payloadBytes !== frame.byteLength - FRAME_HEADER_BYTES) return "length";
  // Control frames carry no payload.
  if (payloadBytes !== 0 && (opcode === Opcode.ACK || opcode === Opcode.NAK || opcode === Opcode.RDMA_READ_REQUEST)) return "length";
  out.opcode = opcode;
  out.flags = flags;
  out.payloadBytes = payloadBytes;
  out.dstQpn = v.getUint32(8);
  out.srcQpn = v.getUint32(12);
  out.psn = v.getUint32(16);
  out.a = v.getUint32(20);
  out.b = v.getUint32(24);
  out.c = v.getUint32(28);
  out.d = v.getUint32(32);
  out.tagHigh = v.getUint32(36);
  out.tagLow = v.getUint32(40);
  return undefined;
}

/** Signed distance from `from` to `to` on the 32-bit sequence circle. */
export function psnDistance(from: number, to: number): number {
  return (to - from) | 0;
}
