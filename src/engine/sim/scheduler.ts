/**
 * The simulator's event queue: a 4-ary min-heap on virtual time, ties broken
 * by insertion order, so two runs that schedule the same events pop them in
 * the same order (determinism). The heap is on the path of every frame the
 * simulator charges (the probe in simulation-mapping-launchers §A.5 ran such
 * a heap at millions of events/s), so it is typed arrays only: an entry is
 * its time, its order and a slot number, and the handler and argument wait in
 * their slot, written once and read once, rather than moving with the entry
 * (a store of an object into a JS array costs a write barrier). Four children
 * per node halve the depth of a binary heap, and the four sit side by side.
 */

export type Handler = (arg: unknown, time: number) => void;

/** Children per heap node. */
const ARITY = 4;

/** Order numbers wrap past this (uint32): renumber first. */
const MAX_SEQ = 0xffffffff;

export class Scheduler {
  /**
   * The heap, one 16-byte entry per event: its time (float64 at word 2k),
   * then its order (uint32 at 4k + 2) and slot (4k + 3). Side by side rather
   * than three arrays: a node's four children are 64 bytes, about one cache
   * line, where three arrays cost three lines per level, and an all-to-all's
   * heap of 100 k events is larger than the caches.
   */
  private times = new Float64Array(2 * 1024);
  private words = new Uint32Array(this.times.buffer);
  /** By slot: what to run, with what. */
  private handlers: (Handler | undefined)[] = [];
  private args: unknown[] = [];
  /** Slots not in use (a stack). */
  private free = new Int32Array(1024);
  private freeTop = 0;
  private slotCount = 0;
  private size = 0;
  /** The next event's order number (ties by time pop in this order); renumbered before it wraps. */
  private nextSeq = 0;
  /** Virtual time of the event being handled (or last handled). */
  now = 0;
  /** Events handled so far. */
  handled = 0;

  get pending(): number {
    return this.size;
  }

  /** Run `handler(arg, time)` at virtual `time` (not before `now`: time does not go back). */
  at(time: number, handler: Handler, arg?: unknown): void {
    if (!(time >= this.now)) time = this.now;
    if (this.size === this.free.length) this.grow();
    if (this.nextSeq === MAX_SEQ) this.renumber();
    const slot = this.freeTop > 0 ? this.free[--this.freeTop]! : this.slotCount++;
    this.handlers[slot] = handler;
    this.args[slot] = arg;
    let i = this.size++;
    const seq = this.nextSeq++;
    const times = this.times;
    const words = this.words;
    // Sift up.
    while (i > 0) {
      const parent = ((i - 1) / ARITY) | 0;
      const pt = times[2 * parent]!;
      if (pt < time || (pt === time && words[4 * parent + 2]! < seq)) break;
      times[2 * i] = pt;
      words[4 * i + 2] = words[4 * parent + 2]!;
      words[4 * i + 3] = words[4 * parent + 3]!;
      i = parent;
    }
    times[2 * i] = time;
    words[4 * i + 2] = seq;
    words[4 * i + 3] = slot;
  }

  /** Time of the earliest event (Infinity when none). */
  peekTime(): number {
    return this.size > 0 ? this.times[0]! : Number.POSITIVE_INFINITY;
  }

  /** Pop the earliest event, advance `now` to it and run it; false when none was pending. */
  step(): boolean {
    if (this.size === 0) return false;
    const times = this.times;
    const words = this.words;
    const time = times[0]!;
    const slot = words[3]!;
    const last = --this.size;
    if (last > 0) {
      // Sift the last entry down from the root.
      const lt = times[2 * last]!;
      const ls = words[4 * last + 2]!;
      const lslot = words[4 * last + 3]!;
      let i = 0;
      for (;;) {
        const first = i * ARITY + 1;
        if (first >= last) break;
        // The earliest of up to four children.
        let child = first;
        let ct = times[2 * first]!;
        let cs = words[4 * first + 2]!;
        const end = first + ARITY < last ? first + ARITY : last;
        for (let c = first + 1; c < end; c++) {
          const t = times[2 * c]!;
          if (t < ct || (t === ct && words[4 * c + 2]! < cs)) {
            child = c;
            ct = t;
            cs = words[4 * c + 2]!;
          }
        }
        if (lt < ct || (lt === ct && ls < cs)) break;
        times[2 * i] = ct;
        words[4 * i + 2] = cs;
        words[4 * i + 3] = words[4 * child + 3]!;
        i = child;
      }
      times[2 * i] = lt;
      words[4 * i + 2] = ls;
      words[4 * i + 3] = lslot;
    }
    const handler = this.handlers[slot]!;
    const arg = this.args[slot];
    this.handlers[slot] = undefined;
    this.args[slot] = undefined;
    this.free[this.freeTop++] = slot;
    this.now = time;
    this.handled++;
    handler(arg, time);
    return true;
  }

  /** Run events until none is pending or `stop()` says so after an event. */
  run(stop?: () => boolean): void {
    while (this.step()) if (stop?.()) return;
  }

  private grow(): void {
    const n = this.free.length * 2;
    const t = new Float64Array(2 * n);
    t.set(this.times);
    const f = new Int32Array(n);
    f.set(this.free);
    this.times = t;
    this.words = new Uint32Array(t.buffer);
    this.free = f;
  }

  /**
   * Order numbers are 32 bits: before they run out, the pending events are
   * numbered again from 0 in the same order, which keeps every comparison
   * (and so the heap) as it was.
   */
  private renumber(): void {
    const words = this.words;
    const byOrder = Array.from({ length: this.size }, (_, i) => i).sort((a, b) => words[4 * a + 2]! - words[4 * b + 2]!);
    byOrder.forEach((entry, order) => {
      words[4 * entry + 2] = order;
    });
    this.nextSeq = this.size;
  }
}
