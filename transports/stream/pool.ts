/**
 * Reusable send buffers. A frame must be copied before `trySend` returns (the
 * caller may reuse its memory), and the socket holds that copy until the
 * kernel took it. Allocating a fresh large buffer per frame costs more than
 * the copy itself: the allocator hands out fresh pages (large blocks are
 * mmap'ed and returned on free), and every page faults on first touch. So
 * large frames are copied into buffers that come back here once the socket
 * has written them. Small frames use Node's own pooled allocation.
 */

/** Frames at or below this use Buffer.allocUnsafe (Node's 8 KiB slab pool). */
const SMALL = 4096;
/** Buffers kept per size class; more in use at once are simply allocated (bounded by the in-flight limit). */
const KEEP = 32;

export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();

  /** A buffer of at least `size` bytes; `release` gives it back (or undefined for small ones). */
  take(size: number): { buffer: Buffer; release: (() => void) | undefined } {
    if (size <= SMALL) return { buffer: Buffer.allocUnsafe(size), release: undefined };
    const cls = 2 ** Math.ceil(Math.log2(size));
    let list = this.free.get(cls);
    if (!list) this.free.set(cls, (list = []));
    const whole = list.pop() ?? Buffer.allocUnsafeSlow(cls);
    return {
      buffer: whole.subarray(0, size),
      release: () => {
        if (list.length < KEEP) list.push(whole);
      },
    };
  }
}
