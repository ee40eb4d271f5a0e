/**
 * Framing shared by the socket transports (vf, bridged and the bridge
 * process): every frame on a stream is a fixed 16-byte wire header followed by
 * its body. A byte stream has no message boundaries, so the length comes
 * first, and it is checked against the limits *before* any buffer is
 * allocated: a stranger or a corrupted stream can never make us allocate
 * more than `maxBody`.
 *
 * | offset | size | field   | meaning                                            |
 * | ------ | ---- | ------- | -------------------------------------------------- |
 * | 0      | u16  | magic   | 0x5453 ("TS"): catches streams that are not ours   |
 * | 2      | u8   | version | WIRE_VERSION                                       |
 * | 3      | u8   | type    | DATA, BYE, ANNOUNCE, LOST                          |
 * | 4      | u32  | length  | body bytes that follow                             |
 * | 8      | i32  | source  | world rank that sent the frame                     |
 * | 12     | i32  | dest    | world rank it is for (-1: the link itself)         |
 *
 * A DATA body is one core frame (a 40-byte core header, then payload). The
 * other types have no body.
 */
import { MpiError } from "../../src/errors.ts";

export const WIRE_HEADER_BYTES = 16;
export const WIRE_MAGIC = 0x5453;
export const WIRE_VERSION = 1;

export const WireType = {
  /** A core frame for `dest`. */
  DATA: 1,
  /** The sender closes this link on purpose (end of job); a close after it is not a failure. */
  BYE: 2,
  /** Bridge to bridge: rank `source` is reachable through me. */
  ANNOUNCE: 3,
  /** Bridge to anyone: rank `source` lost its link without saying goodbye. */
  LOST: 4,
} as const;

export type FrameErrorReason = "BAD_MAGIC" | "BAD_VERSION" | "BAD_TYPE" | "TOO_LARGE" | "TOO_SMALL" | "BAD_RANK" | "TRUNCATED" | "CLOSED";

/** Why a stream was rejected (an ERR_TRANSPORT with the reason); the decoder is unusable after it throws one. */
export class FrameError extends MpiError {
  readonly reason: FrameErrorReason;
  constructor(reason: FrameErrorReason, message: string) {
    super("ERR_TRANSPORT", `${reason}: ${message}`);
    this.name = "FrameError";
    this.reason = reason;
  }
}

export interface FrameLimits {
  /** Largest body accepted (a DATA frame's core header + payload). */
  readonly maxBody: number;
  /** Smallest DATA body (the core header). */
  readonly minData: number;
  /** Ranks in the job: source and dest must lie in [0, size) (dest may be -1 on control frames). */
  readonly size: number;
}

/** Called for each whole frame; `body` is valid only during the call. */
export type OnFrame = (type: number, source: number, dest: number, body: Uint8Array) => void;

/**
 * Encode one frame (one copy of header + payload; the caller's memory is free
 * after) into `into` when given (exactly the frame's size), else a fresh buffer.
 */
export function encodeFrame(type: number, source: number, dest: number, header?: Uint8Array, payload?: Uint8Array, into?: Buffer): Buffer {
  const h = header ? header.byteLength : 0;
  const p = payload ? payload.byteLength : 0;
  const out = into ?? Buffer.allocUnsafe(WIRE_HEADER_BYTES + h + p);
  out.writeUInt16LE(WIRE_MAGIC, 0);
  out[2] = WIRE_VERSION;
  out[3] = type;
  out.writeUInt32LE(h + p, 4);
  out.writeInt32LE(source, 8);
  out.writeInt32LE(dest, 12);
  if (header) out.set(header, WIRE_HEADER_BYTES);
  if (payload) out.set(payload, WIRE_HEADER_BYTES + h);
  return out;
}

/**
 * Incremental decoder: push stream chunks in, get whole frames out. A frame
 * that lies inside one chunk is handed out as a view (no copy); one that spans
 * chunks is assembled into a buffer sized once its header was validated.
 */
export class FrameDecoder {
  private readonly limits: FrameLimits;
  private readonly onFrame: OnFrame;
  private readonly head = Buffer.alloc(WIRE_HEADER_BYTES);
  private headFill = 0;
  private body: Buffer | undefined;
  private scratch: Buffer | undefined;
  private bodyFill = 0;
  private type = 0;
  private source = 0;
  private dest = 0;
  private broken: FrameError | undefined;

  constructor(limits: FrameLimits, onFrame: OnFrame) {
    this.limits = limits;
    this.onFrame = onFrame;
  }

  /** Feed bytes; throws FrameError on the first thing that is not a valid frame. */
  push(chunk: Uint8Array): void {
    if (this.broken) throw this.broken;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let at = 0;
    const n = buf.byteLength;
    while (at < n) {
      if (this.body) {
        const take = Math.min(n - at, this.body.byteLength - this.bodyFill);
        buf.copy(this.body, this.bodyFill, at, at + take);
        this.bodyFill += take;
        at += take;
        if (this.bodyFill === this.body.byteLength) {
          const body = this.body;
          this.body = undefined;
          this.onFrame(this.type, this.source, this.dest, body);
        }
        continue;
      }
      if (this.headFill === 0 && n - at >= WIRE_HEADER_BYTES) {
        // Fast path: the header is whole in this chunk.
        const length = this.check(buf, at);
        at += WIRE_HEADER_BYTES;
        if (n - at >= length) {
          this.onFrame(this.type, this.source, this.dest, buf.subarray(at, at + length));
          at += length;
        } else this.startBody(length);
        continue;
      }
      const take = Math.min(n - at, WIRE_HEADER_BYTES - this.headFill);
      buf.copy(this.head, this.headFill, at, at + take);
      this.headFill += take;
      at += take;
      if (this.headFill === WIRE_HEADER_BYTES) {
        this.headFill = 0;
        const length = this.check(this.head, 0);
        if (length === 0) this.onFrame(this.type, this.source, this.dest, this.head.subarray(0, 0));
        else this.startBody(length);
      }
    }
  }

  /** The stream ended: a partial frame is an error (the peer closed mid-message). */
  end(): void {
    if (this.broken) throw this.broken;
    if (this.headFill > 0 || this.body) {
      this.broken = new FrameError(
        "TRUNCATED",
        `the stream ended inside a frame (${this.body ? `${this.bodyFill} of ${this.body.byteLength} body bytes` : `${this.headFill} of ${WIRE_HEADER_BYTES} header bytes`})`,
      );
      throw this.broken;
    }
  }

  /** True when the stream sits between frames. */
  get atBoundary(): boolean {
    return this.headFill === 0 && this.body === undefined;
  }

  /**
   * A frame handed to `onFrame` is valid only during the call, so one
   * assembly buffer serves every frame that spans chunks (no allocation, no
   * garbage per frame); it grows to the largest frame seen, at most `maxBody`.
   */
  private startBody(length: number): void {
    if (!this.scratch || this.scratch.byteLength < length) this.scratch = Buffer.allocUnsafeSlow(length);
    this.body = this.scratch.subarray(0, length);
    this.bodyFill = 0;
  }

  /** Validate a wire header; returns the body length. Throws before anything is allocated. */
  private check(b: Buffer, at: number): number {
    const magic = b.readUInt16LE(at);
    if (magic !== WIRE_MAGIC) return this.fail("BAD_MAGIC", `magic 0x${magic.toString(16)} is not 0x${WIRE_MAGIC.toString(16)}: not a tsmpi stream`);
    const version = b[at + 2]!;
    if (version !== WIRE_VERSION) return this.fail("BAD_VERSION", `wire version ${version}, expected ${WIRE_VERSION}`);
    const type = b[at + 3]!;
    const length = b.readUInt32LE(at + 4);
    const source = b.readInt32LE(at + 8);
    const dest = b.readInt32LE(at + 12);
    const size = this.limits.size;
    if (source < 0 || source >= size) return this.fail("BAD_RANK", `source rank ${source} is outside 0..${size - 1}`);
    if (type === WireType.DATA) {
      if (length > this.limits.maxBody) return this.fail("TOO_LARGE", `a ${length}-byte frame exceeds the ${this.limits.maxBody}-byte limit`);
      if (length < this.limits.minData)
        return this.fail("TOO_SMALL", `a ${length}-byte data frame is shorter than the ${this.limits.minData}-byte core header`);
      if (dest < 0 || dest >= size) return this.fail("BAD_RANK", `destination rank ${dest} is outside 0..${size - 1}`);
    } else if (type === WireType.BYE || type === WireType.ANNOUNCE || type === WireType.LOST) {
      if (length !== 0) return this.fail("TOO_LARGE", `a control frame (type ${type}) carries ${length} body bytes; it must carry none`);
      if (dest < -1 || dest >= size) return this.fail("BAD_RANK", `destination rank ${dest} is outside -1..${size - 1}`);
    } else return this.fail("BAD_TYPE", `unknown frame type ${type}`);
    this.type = type;
    this.source = source;
    this.dest = dest;
    return length;
  }

  private fail(reason: FrameErrorReason, message: string): never {
    this.broken = new FrameError(reason, message);
    throw this.broken;
  }
}
