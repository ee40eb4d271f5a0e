/**
 * A single-producer, single-consumer byte ring in a SharedArrayBuffer: one
 * per ordered pair of ranks in a VM (btl/sm's per-peer FIFO). Records are
 * `[i32 length][i32 stamp][frame][padding]`, always contiguous, and start on
 * a 64-byte cache line: a small message (header + up to 16 payload bytes) is
 * one line, which the reader pulls across once. The frame starts 8-byte
 * aligned: V8 copies between a SharedArrayBuffer and an ordinary buffer word
 * by word only when both agree on alignment mod 8 (byte by byte, ~7x slower,
 * otherwise), and the 40-byte header keeps the payload aligned too. A record
 * that would straddle the end is preceded by a wrap marker, so the consumer
 * can hand the frame to the core as one view with no copy.
 *
 * Publishing (as vader's fast boxes): a record is published by the
 * Atomics.store of its stamp (its position + 1), after every other byte of it
 * is written. The reader polls the stamp word where the next record will
 * start, so a message and its "published" signal arrive in the same cache
 * line, not a tail counter's line and then the record's. Stale bytes there
 * could look like a stamp (a previous lap's payload), so before publishing
 * a record the writer zeroes the stamp word right after it: wherever the
 * reader looks next holds 0 or a true stamp. The consumer frees space with
 * an Atomics.store of `head` (release), off the path of a message to its
 * receive; the producer reads it only when its last reading says there is
 * no room. Positions are byte counters that wrap at 2^32; capacity is a
 * power of two.
 */

/** Ints of the control block: the consumer's head on its own cache lines. */
const HEAD = 0;
export const RING_CONTROL_BYTES = 128;
const WRAP = -1;
/** Bytes before each frame: its length and its stamp. */
const PREFIX = 8;
/** Records start on cache lines. */
const ALIGN = 64;

export function ringBytes(capacity: number): number {
  return RING_CONTROL_BYTES + capacity;
}

/** Bytes a record of an `n`-byte frame takes. */
function recordBytes(n: number): number {
  return (PREFIX + n + ALIGN - 1) & ~(ALIGN - 1);
}

/** 8 bytes from the start of `from` to `at` in `to`, written out. */
function copy8(from: Uint8Array, to: Uint8Array, at: number): void {
  to[at] = from[0]!;
  to[at + 1] = from[1]!;
  to[at + 2] = from[2]!;
  to[at + 3] = from[3]!;
  to[at + 4] = from[4]!;
  to[at + 5] = from[5]!;
  to[at + 6] = from[6]!;
  to[at + 7] = from[7]!;
}

export class Ring {
  private readonly control: Int32Array;
  private readonly data: Uint8Array;
  private readonly words: Int32Array;
  private readonly capacity: number;
  private readonly mask: number;
  /** Producer's next record position / consumer's head (each side owns one). */
  private position = 0;
  /**
   * Producer: the last head it read. Free space is judged against it and
   * head is read again only when that says "full": the consumer writes head
   * on every batch, and reading it on every write would pull its cache line
   * across cores once per message.
   */
  private knownHead = 0;
  /** Consumer: the head last given back to the producer (see release). */
  private released = 0;
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

  /** Producer: append one frame (header + payload) or return false when there is no room. */
  tryWrite(header: Uint8Array, payload: Uint8Array | undefined): boolean {
    // `length` rather than `byteLength` throughout (the same for bytes): on
    // Node 20 byteLength is a getter call, about 10 ns, length a plain load.
    const h = header.length;
    const p = payload ? payload.length : 0;
    const n = h + p;
    const record = recordBytes(n);
    const tail = this.position;
    let at = tail & this.mask;
    const contiguous = this.capacity - at;
    // A record that would straddle the end also uses up the rest of the ring;
    // and the stamp word after the record is zeroed, so that must be free too.
    const wraps = record > contiguous;
    const needed = (wraps ? contiguous + record : record) + PREFIX;
    if (needed > this.capacity - ((tail - this.knownHead) >>> 0)) {
      this.knownHead = Atomics.load(this.control, HEAD) >>> 0;
      if (needed > this.capacity - ((tail - this.knownHead) >>> 0)) return false;
    }
    const words = this.words;
    const start = at;
    if (wraps) at = 0;
    const w = at >> 2;
    words[w] = n;
    // The header by hand: a typed-array `set` call costs more than moving its
    // ten words, and the words written out one by one (no loop) cost less
    // again (measured here: tryWrite of 8 B 52 -> 42 ns). The fewer
    // instructions between the first store to the record's cache line and the
    // stamp, the less a reader polling that line gets in the way.
    if (header === this.lastHeader) {
      const hw = this.lastHeaderWords!;
      const base = w + PREFIX / 4;
      if (hw.length === 10) {
        words[base] = hw[0]!;
        words[base + 1] = hw[1]!;
        words[base + 2] = hw[2]!;
        words[base + 3] = hw[3]!;
        words[base + 4] = hw[4]!;
        words[base + 5] = hw[5]!;
        words[base + 6] = hw[6]!;
        words[base + 7] = hw[7]!;
        words[base + 8] = hw[8]!;
        words[base + 9] = hw[9]!;
      } else for (let i = 0; i < hw.length; i++) words[base + i] = hw[i]!;
    } else {
      this.data.set(header, at + PREFIX);
      // Callers stamp one header buffer again and again: remember its word view.
      if ((header.byteOffset & 3) === 0 && (h & 3) === 0) {
        this.lastHeader = header;
        this.lastHeaderWords = new Int32Array(header.buffer, header.byteOffset, h >> 2);
      }
    }
    if (payload) {
      const data = this.data;
      const to = at + PREFIX + h;
      // Measured here: a byte loop beats `set` (about 12 ns) only up to 8
      // bytes, and 8 bytes (one double: the message-rate size) written out
      // beat the loop (42 -> 25 ns a write).
      if (p === 8) copy8(payload, data, to);
      else if (p < 8) for (let i = 0; i < p; i++) data[to + i] = payload[i]!;
      else data.set(payload, to);
    }
    const end = (tail + needed - PREFIX) >>> 0;
    // Where the reader looks next must not hold a stale stamp (see the top).
    words[((end & this.mask) >> 2) + 1] = 0;
    this.position = end;
    if (wraps) {
      // The record at the start goes first; the marker that leads to it publishes both.
      Atomics.store(words, w + 1, (tail + contiguous) | 1);
      words[start >> 2] = WRAP;
      Atomics.store(words, (start >> 2) + 1, tail | 1);
    } else {
      Atomics.store(words, w + 1, tail | 1);
    }
    return true;
  }

  /**
   * Consumer: hand every published frame to `deliver`; returns how many.
   * The room they took is given back later, by `release`.
   */
  read(source: number, deliver: (source: number, frame: Uint8Array, start: number, length: number) => void): number {
    const words = this.words;
    const mask = this.mask;
    let head = this.position;
    let at = head & mask;
    // A plain look first, as below for the next record: a poll that finds
    // nothing (most polls of a spinning rank) then pays no Atomics.load (a
    // builtin call, about 10 ns on Node 20).
    const first = (at >> 2) + 1;
    if (words[first] !== (head | 1) || Atomics.load(words, first) !== (head | 1)) return 0;
    let count = 0;
    for (;;) {
      const n = words[at >> 2]!;
      if (n === WRAP) {
        head = (head + (this.capacity - at)) >>> 0;
      } else {
        deliver(source, this.data, at + PREFIX, n);
        head = (head + recordBytes(n)) >>> 0;
        count++;
      }
      this.position = head;
      at = head & mask;
      // Is the next one published too? A plain look first (an Atomics.load
      // costs about 10 ns, and after one message there is usually none); when
      // it looks so, the Atomics.load makes sure and orders the reads after it.
      const stamp = (at >> 2) + 1;
      if (words[stamp] !== (head | 1) || Atomics.load(words, stamp) !== (head | 1)) return count;
    }
  }

  /**
   * Consumer: give the producer back the room of every frame read so far;
   * true when there was any. Not done in `read`: the store would stand
   * between a message's arrival and the caller waiting for it. The transport
   * does it before the next read and before it sleeps; the producer reads
   * head only when its ring looks full.
   */
  release(): boolean {
    const head = this.position;
    if (head === this.released) return false;
    this.released = head;
    Atomics.store(this.control, HEAD, head | 0);
    return true;
  }

  /** Consumer: is anything published and unread? */
  hasData(): boolean {
    const head = this.position;
    return Atomics.load(this.words, ((head & this.mask) >> 2) + 1) === (head | 1);
  }
}
