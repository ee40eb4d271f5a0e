/**
 * A single-producer, single-consumer byte ring in a SharedArrayBuffer: one
 * per ordered pair of ranks in a VM (btl/sm's per-peer FIFO). Records are
 * `[u32 length][u32 unused][frame][padding to 8]`, always contiguous, and the
 * frame starts 8-byte aligned: V8 copies between a SharedArrayBuffer and an
 * ordinary buffer word by word only when both agree on alignment mod 8 (byte
 * by byte, ~7x slower, otherwise), and the 40-byte header keeps the payload
 * aligned too. A record that would
 * straddle the end is preceded by a wrap marker, so the consumer can hand the
 * frame to the core as one view with no copy.
 *
 * Memory order: the producer writes the record, then publishes it with an
 * Atomics.store of `tail`; the consumer reads `tail` with Atomics.load before
 * touching the record, and frees space with an Atomics.store of `head`. The
 * producer reads `head` only when its last reading says there is no room.
 * Positions are byte counters that wrap at 2^32; capacity is a power of two.
 */

/** Ints of the control block: head and tail on separate cache lines. */
const HEAD = 0;
const TAIL = 16;
export const RING_CONTROL_BYTES = 128;
const WRAP = -1;
/** Bytes before each frame: its length, then padding that keeps the frame 8-byte aligned. */
const PREFIX = 8;

export function ringBytes(capacity: number): number {
  return RING_CONTROL_BYTES + capacity;
}

export class Ring {
  private readonly control: Int32Array;
  private readonly data: Uint8Array;
  private readonly words: Int32Array;
  private readonly capacity: number;
  private readonly mask: number;
  /** Producer's copy of tail / consumer's copy of head (each side owns one). */
  private position = 0;
  /**
   * Producer: the last head it read. Free space is judged against it and
   * head is read again only when that says "full": the consumer writes head
   * on every frame, and reading it on every write would pull its cache line
   * across cores once per message.
   */
  private knownHead = 0;
  /** Producer: the header buffer last copied, and a word view of it (see tryWrite). */
  private lastHeader: Uint8Array | undefined;
  private lastHeaderWords: Int32Array | undefined;

  constructor(buffer: SharedArrayBuffer, offset: number, capacity: number) {
    if (capacity & (capacity - 1) || capacity < 1024) throw new Error(`ring capacity ${capacity} must be a power of two >= 1024`);
    this.control = new Int32Array(buffer, offset, RING_CONTROL_BYTES / 4);
    this.data = new Uint8Array(buffer, offset + RING_CONTROL_BYTES, capacity);
    this.words = new Int32Array(buffer, offset + RING_CONTROL_BYTES, capacity / 4);
    this.capacity = capacity;
    this.mask = capacity - 1;
  }

  /** Largest frame a record can hold and still always fit after a wrap. */
  get maxFrameBytes(): number {
    return this.capacity / 4 - PREFIX - 8;
  }

  /** Producer: append one frame (header + payload) or return false when there is no room. */
  tryWrite(header: Uint8Array, payload: Uint8Array | undefined): boolean {
    const n = header.byteLength + (payload ? payload.byteLength : 0);
    const record = (PREFIX + n + 7) & ~7;
    let tail = this.position;
    let at = tail & this.mask;
    const contiguous = this.capacity - at;
    // A record that would straddle the end also uses up the rest of the ring.
    const needed = record > contiguous ? contiguous + record : record;
    let free = this.capacity - ((tail - this.knownHead) >>> 0);
    if (needed > free) {
      this.knownHead = Atomics.load(this.control, HEAD) >>> 0;
      free = this.capacity - ((tail - this.knownHead) >>> 0);
    }
    if (record > contiguous) {
      if (contiguous + record > free) return false;
      this.words[at >> 2] = WRAP;
      tail = (tail + contiguous) >>> 0;
      free -= contiguous;
      at = 0;
    }
    if (record > free) {
      if (tail !== this.position) this.publish(tail);
      return false;
    }
    const words = this.words;
    words[at >> 2] = n;
    // The header by hand: a typed-array `set` call costs more than moving its ten words.
    const h = header.byteLength;
    if (header === this.lastHeader) {
      const hw = this.lastHeaderWords!;
      const base = (at + PREFIX) >> 2;
      for (let i = 0; i < hw.length; i++) words[base + i] = hw[i]!;
    } else {
      this.data.set(header, at + PREFIX);
      // Callers stamp one header buffer again and again: remember its word view.
      if ((header.byteOffset & 3) === 0 && (h & 3) === 0) {
        this.lastHeader = header;
        this.lastHeaderWords = new Int32Array(header.buffer, header.byteOffset, h >> 2);
      }
    }
    if (payload) {
      const p = payload.byteLength;
      const data = this.data;
      const to = at + PREFIX + h;
      // Measured here: a byte loop beats `set` (about 12 ns) only up to 8 bytes.
      if (p <= 8) for (let i = 0; i < p; i++) data[to + i] = payload[i]!;
      else data.set(payload, to);
    }
    this.publish((tail + record) >>> 0);
    return true;
  }

  private publish(tail: number): void {
    this.position = tail;
    Atomics.store(this.control, TAIL, tail | 0);
  }

  /** Consumer: hand every published frame to `deliver`; returns how many. */
  read(source: number, deliver: (source: number, frame: Uint8Array, start: number, length: number) => void): number {
    const start = this.position;
    let head = start;
    const tail = Atomics.load(this.control, TAIL) >>> 0;
    let count = 0;
    while (head !== tail) {
      const at = head & this.mask;
      const n = this.words[at >> 2]!;
      if (n === WRAP) {
        head = (head + (this.capacity - at)) >>> 0;
        continue;
      }
      deliver(source, this.data, at + PREFIX, n);
      head = (head + ((PREFIX + n + 7) & ~7)) >>> 0;
      this.position = head;
      count++;
    }
    // Room is freed once per batch, not per frame: delivery copies what it
    // keeps, and each store is a fence plus a cache line the writer must fetch.
    if (head !== start) {
      this.position = head;
      Atomics.store(this.control, HEAD, head | 0);
    }
    return count;
  }

  /** Consumer: is anything published and unread? */
  hasData(): boolean {
    return Atomics.load(this.control, TAIL) >>> 0 !== this.position;
  }
}
