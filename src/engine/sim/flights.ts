/**
 * The frames in flight in a simulation, pooled: each frame takes a numbered
 * slot, its bytes in one shared slab (a frame longer than a slot gets its own
 * buffer) and its state in parallel typed arrays, and gives the slot back
 * once delivered (a long frame's buffer goes back to a pool by size). The
 * event heap carries the slot number. An all-to-all on
 * 256 ranks has 65 k frames in flight; an object and a buffer per frame, and
 * a DataView per buffer in the receiver, cost more than charging the frame.
 * The receiver copies whatever it keeps, so a slot is free again as soon as
 * its delivery returns.
 */
import type { Route } from "./charger.ts";

/** Bytes per slot: a header and a small payload. */
export const SLOT_BYTES = 128;

export class Flights {
  /** The slab: slot i's bytes start at i × SLOT_BYTES. Replaced (copied) when the pool grows. */
  slab = new Uint8Array(0);
  src = new Int32Array(0);
  dst = new Int32Array(0);
  length = new Int32Array(0);
  type = new Uint8Array(0);
  /** The next segment of its route to charge. */
  seg = new Int32Array(0);
  /** Message id for trace arrows (0: not a message's first frame). */
  flow = new Int32Array(0);
  /** Virtual time it was sent. */
  sent = new Float64Array(0);
  routes: (Route | undefined)[] = [];
  /** A frame longer than a slot, in its own buffer (a power of two long, from `spare`). */
  big: (Uint8Array | undefined)[] = [];
  /** Buffers of delivered long frames, by log2 of their length, for the next ones. */
  private readonly spare: Uint8Array[][] = [];
  private free = new Int32Array(0);
  private top = 0;

  /** A slot for a frame of `n` bytes from `src` to `dst`; write its bytes at bufferOf/startOf. */
  take(src: number, dst: number, n: number, type: number, route: Route, sent: number, flow: number): number {
    if (this.top === 0) this.grow();
    const i = this.free[--this.top]!;
    this.src[i] = src;
    this.dst[i] = dst;
    this.length[i] = n;
    this.type[i] = type;
    this.seg[i] = 1;
    this.flow[i] = flow;
    this.sent[i] = sent;
    this.routes[i] = route;
    if (n > SLOT_BYTES) {
      const c = 32 - Math.clz32(n - 1);
      this.big[i] = this.spare[c]?.pop() ?? new Uint8Array(2 ** c);
    }
    return i;
  }

  bufferOf(i: number): Uint8Array {
    return this.big[i] ?? this.slab;
  }

  startOf(i: number): number {
    return this.big[i] ? 0 : i * SLOT_BYTES;
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
    return this.src.length - this.top;
  }

  private grow(): void {
    const old = this.src.length;
    const size = Math.max(1024, old * 2);
    const widen = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T, n = size): T => {
      const b = make(n);
      b.set(a as never);
      return b;
    };
    this.slab = widen(this.slab, (n) => new Uint8Array(n), size * SLOT_BYTES);
    this.src = widen(this.src, (n) => new Int32Array(n));
    this.dst = widen(this.dst, (n) => new Int32Array(n));
    this.length = widen(this.length, (n) => new Int32Array(n));
    this.type = widen(this.type, (n) => new Uint8Array(n));
    this.seg = widen(this.seg, (n) => new Int32Array(n));
    this.flow = widen(this.flow, (n) => new Int32Array(n));
    this.sent = widen(this.sent, (n) => new Float64Array(n));
    const free = new Int32Array(size);
    free.set(this.free.subarray(0, this.top));
    // The new slots, lowest on top, so slots are used in order (deterministic and cache-friendly).
    let top = this.top;
    for (let i = size - 1; i >= old; i--) free[top++] = i;
    this.free = free;
    this.top = top;
  }
}
