/**
 * Fixed-layout binary frame headers. Every message pays for its header, so it
 * is a plain DataView layout (no msgpack, no allocation to read it), in the
 * spirit of ob1's 16-byte match header.
 *
 * | offset | size | field            | meaning                                              |
 * | ------ | ---- | ---------------- | ---------------------------------------------------- |
 * | 0      | u8   | type             | EAGER, READY_TO_SEND, CLEAR_TO_SEND, DATA, CREDIT    |
 * | 1      | u8   | kind             | payload kind (src/core/payload.ts)                   |
 * | 2      | u16  | flags            | DISCARD, EXPOSED, DONE (see below)                   |
 * | 4      | i32  | context          | communicator context id                              |
 * | 8      | i32  | source           | sender's rank in that communicator                   |
 * | 12     | i32  | tag              | message tag (negative tags are internal)             |
 * | 16     | u32  | sequence         | per-(context, source→dest) sequence number           |
 * | 20     | u32  | total bytes      | whole payload size (rendezvous) / frame payload size |
 * | 24     | u32  | sender request   | rendezvous: sender's request id                      |
 * | 28     | u32  | receiver request | rendezvous: receiver's request id                    |
 * | 32     | u32  | offset           | DATA: where this fragment goes                       |
 * | 36     | u32  | credits          | EAGER: eager credits returned to its receiver        |
 *
 * A READY_TO_SEND with FLAG_EXPOSED carries a 64-bit exposure handle in bytes
 * 32-39 instead (single-copy rendezvous: the receiver reads the sender's
 * buffer through its transport and answers CLEAR_TO_SEND with FLAG_DONE).
 *
 * An EAGER frame carries the eager credits its sender owes its receiver (for
 * messages it consumed from that receiver), as a CREDIT frame would: in a
 * stream of windows answered by an acknowledgement (osu_bw), the
 * acknowledgement hands back every credit the window used, so the next window
 * starts with all of them, whatever the batching of CREDIT frames left owed.
 */
import { FRAME_HEADER_BYTES } from "../transport/contract.ts";

export const HEADER_BYTES = FRAME_HEADER_BYTES;

/** Byte offsets of the header's fields (the table above); every reader uses these names. */
export const At = {
  TYPE: 0,
  KIND: 1,
  FLAGS: 2,
  CONTEXT: 4,
  SOURCE: 8,
  TAG: 12,
  SEQUENCE: 16,
  TOTAL_BYTES: 20,
  SENDER_REQUEST: 24,
  RECEIVER_REQUEST: 28,
  OFFSET: 32,
  /** READY_TO_SEND with FLAG_EXPOSED: a u64 exposure handle over OFFSET and CREDITS. */
  HANDLE: 32,
  /** EAGER: credits returned to the receiver (0 in every other frame). */
  CREDITS: 36,
} as const;

export const FrameType = {
  /** A whole message: envelope + payload in one frame. */
  EAGER: 1,
  /** Rendezvous start: envelope and size, no payload; the receiver answers when matched. */
  READY_TO_SEND: 2,
  /** Rendezvous answer: the receiver matched and has a buffer; send the data. */
  CLEAR_TO_SEND: 3,
  /** Rendezvous payload fragment, placed at `offset` of the receiver's buffer. */
  DATA: 4,
  /** Returns eager credits to a sender: `total bytes` holds how many messages were consumed. */
  CREDIT: 5,
} as const;

export const FLAG_DISCARD = 1;
/** READY_TO_SEND: bytes 32-39 hold a handle through which the receiver may copy the payload itself. */
export const FLAG_EXPOSED = 2;
/** CLEAR_TO_SEND: the receiver already copied the exposed payload; the send is complete. */
export const FLAG_DONE = 4;

export interface Header {
  type: number;
  kind: number;
  flags: number;
  context: number;
  source: number;
  tag: number;
  sequence: number;
  totalBytes: number;
  senderRequest: number;
  receiverRequest: number;
  offset: number;
}

/**
 * The one stamp: write every field of a header at `at` in `view`. Positional
 * arguments, not a Header object, because every frame pays for this call.
 */
export function stampHeader(
  view: DataView,
  at: number,
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
  view.setUint8(at + At.TYPE, type);
  view.setUint8(at + At.KIND, kind);
  view.setUint16(at + At.FLAGS, flags, true);
  view.setInt32(at + At.CONTEXT, context, true);
  view.setInt32(at + At.SOURCE, source, true);
  view.setInt32(at + At.TAG, tag, true);
  view.setUint32(at + At.SEQUENCE, sequence >>> 0, true);
  view.setUint32(at + At.TOTAL_BYTES, totalBytes >>> 0, true);
  view.setUint32(at + At.SENDER_REQUEST, senderRequest >>> 0, true);
  view.setUint32(at + At.RECEIVER_REQUEST, receiverRequest >>> 0, true);
  view.setUint32(at + At.OFFSET, offset >>> 0, true);
  view.setUint32(at + At.CREDITS, 0, true);
}

/** The platform stores words little-endian (x64, arm64), as headers are laid out. */
export const NATIVE_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * An EAGER header stamped a word at a time into `words` (over a header at
 * offset 0), the same bytes stampHeader writes (with `credits` at CREDITS);
 * only where NATIVE_LITTLE_ENDIAN holds. Every small message pays for its stamp, and
 * ten word stores cost less than twelve DataView calls.
 */
export function stampEagerWords(words: Int32Array, kind: number, context: number, source: number, tag: number, sequence: number, totalBytes: number, credits: number): void {
  words[0] = FrameType.EAGER | (kind << 8);
  words[1] = context;
  words[2] = source;
  words[3] = tag;
  words[4] = sequence | 0;
  words[5] = totalBytes | 0;
  words[6] = 0;
  words[7] = 0;
  words[8] = 0;
  words[9] = credits;
}

/** Stamp a header given as an object (tests, fuzzers, benchmarks). */
export function writeHeader(view: DataView, at: number, h: Header): void {
  stampHeader(view, at, h.type, h.kind, h.flags, h.context, h.source, h.tag, h.sequence, h.totalBytes, h.senderRequest, h.receiverRequest, h.offset);
}

/** The one read path for a whole header (the receiver reads single fields through `At`). */
export function readHeader(view: DataView, at: number): Header {
  return {
    type: view.getUint8(at + At.TYPE),
    kind: view.getUint8(at + At.KIND),
    flags: view.getUint16(at + At.FLAGS, true),
    context: view.getInt32(at + At.CONTEXT, true),
    source: view.getInt32(at + At.SOURCE, true),
    tag: view.getInt32(at + At.TAG, true),
    sequence: view.getUint32(at + At.SEQUENCE, true),
    totalBytes: view.getUint32(at + At.TOTAL_BYTES, true),
    senderRequest: view.getUint32(at + At.SENDER_REQUEST, true),
    receiverRequest: view.getUint32(at + At.RECEIVER_REQUEST, true),
    offset: view.getUint32(at + At.OFFSET, true),
  };
}

/** The largest payload a message may have: sizes travel as u32. */
export const MAX_MESSAGE_BYTES = 0xffffffff;
