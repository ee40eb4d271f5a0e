/**
 * A rank's console as a bounded pipe: the rank thread writes its output into
 * a ring in shared memory and blocks (Atomics.wait) while the ring is full;
 * the VM's main thread drains it and forwards whole lines to the launcher,
 * and stops draining while the launcher's own output is backed up. So a rank
 * printing faster than the terminal reads waits, as a C program blocks in
 * write(2) on a full pipe, and no process in between buffers without bound.
 * (Node's worker stdio cannot give this: a worker's writes are queued in the
 * worker without limit, and a worker blocked in Atomics.wait can no longer
 * hand its queue over, so blocking there would never end.)
 *
 * Layout: a header of Int32 slots (bytes written, bytes read, closed), then
 * the data; the counters wrap modulo 2^32 and the capacity is a power of two.
 */
import { Buffer } from "node:buffer";

const WRITTEN = 0;
const READ = 1;
const CLOSED = 2;
const HEADER_BYTES = 16;

/** Bytes a rank may have printed that the VM has not forwarded yet (per stream): small, and a pipe's size many times over. */
export const RING_BYTES = 1 << 20;

export function createRing(bytes = RING_BYTES): SharedArrayBuffer {
  if (bytes < 16 || (bytes & (bytes - 1)) !== 0) throw new RangeError(`an output ring holds a power of two ≥ 16 bytes, not ${bytes}`);
  return new SharedArrayBuffer(HEADER_BYTES + bytes);
}

/** Either end's view of a ring. */
class RingEnd {
  protected readonly header: Int32Array;
  protected readonly data: Uint8Array;
  protected readonly mask: number;

  constructor(ring: SharedArrayBuffer) {
    this.header = new Int32Array(ring, 0, HEADER_BYTES / 4);
    this.data = new Uint8Array(ring, HEADER_BYTES);
    this.mask = this.data.length - 1;
  }
}

/** The rank thread's end: `write` copies everything in, waiting while the ring is full. */
export class RingWriter extends RingEnd {
  write(bytes: Uint8Array): void {
    const h = this.header;
    const capacity = this.data.length;
    let off = 0;
    while (off < bytes.length) {
      if (Atomics.load(h, CLOSED) !== 0) return; // the reader is gone (the VM is ending): drop, never block forever
      const w = Atomics.load(h, WRITTEN);
      const r = Atomics.load(h, READ);
      const free = capacity - ((w - r) >>> 0);
      if (free === 0) {
        // Woken by the reader's notify on READ; the timeout only re-checks CLOSED.
        Atomics.wait(h, READ, r, 1000);
        continue;
      }
      const n = Math.min(free, bytes.length - off);
      const at = w & this.mask;
      const first = Math.min(n, capacity - at);
      this.data.set(bytes.subarray(off, off + first), at);
      if (n > first) this.data.set(bytes.subarray(off + first, off + n), 0);
      Atomics.store(h, WRITTEN, (w + n) | 0);
      Atomics.notify(h, WRITTEN);
      off += n;
    }
  }
}

/**
 * The VM's end: `pump` hands every chunk written to `onBytes`, waiting for
 * more without blocking the event loop (Atomics.waitAsync), and holds off
 * while `paused()` says so; it resolves once the ring is closed and empty.
 */
export class RingReader extends RingEnd {
  async pump(onBytes: (chunk: Buffer) => void, paused: () => Promise<void> | undefined): Promise<void> {
    const h = this.header;
    for (;;) {
      const hold = paused();
      if (hold) await hold;
      const w = Atomics.load(h, WRITTEN);
      const r = Atomics.load(h, READ);
      if (w === r) {
        if (Atomics.load(h, CLOSED) !== 0) return;
        const waiting = Atomics.waitAsync(h, WRITTEN, w);
        if (waiting.async) await waiting.value;
        continue;
      }
      const n = (w - r) >>> 0;
      const at = r & this.mask;
      const first = Math.min(n, this.data.length - at);
      const chunk = Buffer.allocUnsafe(n);
      chunk.set(this.data.subarray(at, at + first), 0);
      if (n > first) chunk.set(this.data.subarray(0, n - first), first);
      Atomics.store(h, READ, w);
      Atomics.notify(h, READ);
      onBytes(chunk);
    }
  }

  /** The writer is gone (its thread exited): the pump ends once it has drained what is left. */
  close(): void {
    Atomics.store(this.header, CLOSED, 1);
    Atomics.notify(this.header, WRITTEN);
    Atomics.notify(this.header, READ);
  }
}

/** Route this thread's writes to `stream` (`process.stdout` / `process.stderr`, console included) into `ring`. */
export function writeInto(stream: NodeJS.WriteStream, ring: SharedArrayBuffer): void {
  const writer = new RingWriter(ring);
  stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void): boolean => {
    const done = typeof encoding === "function" ? encoding : cb;
    writer.write(typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8") : chunk);
    if (done) queueMicrotask(() => done(null));
    return true;
  }) as NodeJS.WriteStream["write"];
}
