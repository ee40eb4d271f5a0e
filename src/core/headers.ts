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
 * | 36     | u32  | reserved         |                                                      |
 *
 * A READY_TO_SEND with FLAG_EXPOSED carries a 64-bit exposure handle in bytes
 * 32-39 instead (single-copy rendezvous: the receiver reads the sender's
 * buffer through its transport and answers CLEAR_TO_SEND with FLAG_DONE).
 */
export const HEADER_BYTES = 40;

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

export function writeHeader(view: DataView, at: number, h: Header): void {
  view.setUint8(at, h.type);
  view.setUint8(at + 1, h.kind);
  view.setUint16(at + 2, h.flags, true);
  view.setInt32(at + 4, h.context, true);
  view.setInt32(at + 8, h.source, true);
  view.setInt32(at + 12, h.tag, true);
  view.setUint32(at + 16, h.sequence >>> 0, true);
  view.setUint32(at + 20, h.totalBytes >>> 0, true);
  view.setUint32(at + 24, h.senderRequest >>> 0, true);
  view.setUint32(at + 28, h.receiverRequest >>> 0, true);
  view.setUint32(at + 32, h.offset >>> 0, true);
  view.setUint32(at + 36, 0, true);
}

export function readHeader(view: DataView, at: number): Header {
  return {
    type: view.getUint8(at),
    kind: view.getUint8(at + 1),
    flags: view.getUint16(at + 2, true),
    context: view.getInt32(at + 4, true),
    source: view.getInt32(at + 8, true),
    tag: view.getInt32(at + 12, true),
    sequence: view.getUint32(at + 16, true),
    totalBytes: view.getUint32(at + 20, true),
    senderRequest: view.getUint32(at + 24, true),
    receiverRequest: view.getUint32(at + 28, true),
    offset: view.getUint32(at + 32, true),
  };
}

/** The largest payload a message may have: sizes travel as u32. */
export const MAX_MESSAGE_BYTES = 0xffffffff;
