/**
 * The frames in flight in a simulation, pooled: each frame takes a numbered
 * slot in one shared slab, its state (source, destination, length, type,
 * next segment, message id, send time) in the slot's first 32 bytes and its
 * bytes right after (a frame longer than a slot's room gets its own buffer),
 * and gives the slot back once delivered (a long frame's buffer goes back to
 * a pool by size). The event heap carries the slot number. An all-to-all on
 * 256 ranks has 65 k frames in flight; an object and a buffer per frame, and
 * a DataView per buffer in the receiver, cost more than charging the frame,
 * and so did its state in separate arrays (a cache line each, per frame).
 * The receiver copies whatever it keeps, so a slot is free again as soon as
 * its delivery returns.
 */
import type { Route } from "./charger.ts";

/** Bytes per slot: the frame's state, then a header and a small payload. */
export const SLOT_BYTES = 128;
/** Where a slot's frame bytes start (its state comes first). */
const META_BYTES = 32;
/** A slot's state, in 32-bit words from its start (the send time is the float64 at bytes 24..31). */
const SRC = 0;
const DST = 1;
const LENGTH = 2;
const TYPE = 3;
const SEG = 4;
const FLOW = 5;
const SLOT_WORDS = SLOT_BYTES / 4;
const SENT_AT = 3;
const SLOT_DOUBLES = SLOT_BYTES / 8;

export class Flights {
  /** The slab: slot i's state starts at i × SLOT_BYTES, its bytes META_BYTES later. Replaced (copied) when the pool grows. */
  slab = new Uint8Array(0);
  private words = new Int32Array(0);
  private doubles = new Float64Array(0);
  routes: (Route | undefined)[] = [];
  /** A frame longer than a slot's room, in its own buffer (a power of two long, from `spare`). */
  big: (Uint8Array | undefined)[] = [];
  /** Buffers of delivered long frames, by log2 of their length, for the next ones. */
  private readonly spare: Uint8Array[][] = [];
  private free = new Int32Array(0);
  private top = 0;

  /** A slot for a frame of `n` bytes from `src` to `dst`; write its bytes at bufferOf/startOf. */
  take(src: number, dst: number, n: number, type: number, route: Route, sent: number, flow: number): number {
    if (this.top === 0) this.grow();
    const i = this.free[--this.top]!;
    const w = this.words;
    const at = i * SLOT_WORDS;
    w[at + SRC] = src;
    w[at + DST] = dst;
    w[at + LENGTH] = n;
    w[at + TYPE] = type;
    w[at + SEG] = 1;
    w[at + FLOW] = flow;
    this.doubles[i * SLOT_DOUBLES + SENT_AT] = sent;
    this.routes[i] = route;
    if (n > SLOT_BYTES - META_BYTES) {
      const c = 32 - Math.clz32(n - 1);
      this.big[i] = this.spare[c]?.pop() ?? new Uint8Array(2 ** c);
    }
    return i;
  }

  src(i: number): number {
    return this.words[i * SLOT_WORDS + SRC]!;
  }

  dst(i: number): number {
    return this.words[i * SLOT_WORDS + DST]!;
  }

  length(i: number): number {
    return this.words[i * SLOT_WORDS + LENGTH]!;
  }

  type(i: number): number {
    return this.words[i * SLOT_WORDS + TYPE]!;
  }

  /** Message id for trace arrows (0: not a message's first frame). */
  flow(i: number): number {
    return this.words[i * SLOT_WORDS + FLOW]!;
  }

  /** Virtual time it was sent. */
  sent(i: number): number {
    return this.doubles[i * SLOT_DOUBLES + SENT_AT]!;
  }

  /** The next segment of its route to charge, counted on. */
  nextSegment(i: number): number {
    const at = i * SLOT_WORDS + SEG;
    const seg = this.words[at]!;
    this.words[at] = seg + 1;
    return seg;
  }

  bufferOf(i: number): Uint8Array {
    return this.big[i] ?? this.slab;
  }

  startOf(i: number): number {
    return this.big[i] ? 0 : i * SLOT_BYTES + META_BYTES;
  }

  release(i: number): void {
    this.routes[i] = undefined;
    const b = this.big[i];
    if (b) {
      // CG's row blocks and rendezvous fragments come in a few sizes again and again.
      const c = 31 - Math.clz32(b.byteLength);
      (this.spare[c] ??= []).push(b);
      this.big[i] = undefined;
    }
    this.free[this.top++] = i;
  }

  /** Frames in flight now. */
  get inFlight(): number {
    return this.free.length - this.top;
  }

  private grow(): void {
    const old = this.free.length;
    const size = Math.max(1024, old * 2);
    const slab = new Uint8Array(size * SLOT_BYTES);
    slab.set(this.slab);
    this.slab = slab;
    this.words = new Int32Array(slab.buffer);
    this.doubles = new Float64Array(slab.buffer);
    const free = new Int32Array(size);
    free.set(this.free.subarray(0, this.top));
    // The new slots, lowest on top, so slots are used in order (deterministic and cache-friendly).
    let top = this.top;
    for (let i = size - 1; i >= old; i--) free[top++] = i;
    this.free = free;
    this.top = top;
  }
}
