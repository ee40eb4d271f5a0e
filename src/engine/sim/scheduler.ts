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

export class Scheduler {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private slots = new Int32Array(1024);
  /** By slot: what to run, with what. */
  private handlers: (Handler | undefined)[] = [];
  private args: unknown[] = [];
  /** Slots not in use (a stack). */
  private free = new Int32Array(1024);
  private freeTop = 0;
  private slotCount = 0;
  private size = 0;
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
    if (this.size === this.times.length) this.grow();
    const slot = this.freeTop > 0 ? this.free[--this.freeTop]! : this.slotCount++;
    this.handlers[slot] = handler;
    this.args[slot] = arg;
    let i = this.size++;
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    // Sift up.
    while (i > 0) {
      const parent = ((i - 1) / ARITY) | 0;
      const pt = times[parent]!;
      if (pt < time || (pt === time && seqs[parent]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      slots[i] = slots[parent]!;
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    slots[i] = slot;
  }

  /** Time of the earliest event (Infinity when none). */
  peekTime(): number {
    return this.size > 0 ? this.times[0]! : Number.POSITIVE_INFINITY;
  }

  /** Pop the earliest event, advance `now` to it and run it; false when none was pending. */
  step(): boolean {
    if (this.size === 0) return false;
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    const time = times[0]!;
    const slot = slots[0]!;
    const last = --this.size;
    if (last > 0) {
      // Sift the last entry down from the root.
      const lt = times[last]!;
      const ls = seqs[last]!;
      const lslot = slots[last]!;
      let i = 0;
      for (;;) {
        const first = i * ARITY + 1;
        if (first >= last) break;
        // The earliest of up to four children.
        let child = first;
        let ct = times[first]!;
        let cs = seqs[first]!;
        const end = first + ARITY < last ? first + ARITY : last;
        for (let c = first + 1; c < end; c++) {
          const t = times[c]!;
          if (t < ct || (t === ct && seqs[c]! < cs)) {
            child = c;
            ct = t;
            cs = seqs[c]!;
          }
        }
        if (lt < ct || (lt === ct && ls < cs)) break;
        times[i] = ct;
        seqs[i] = cs;
        slots[i] = slots[child]!;
        i = child;
      }
      times[i] = lt;
      seqs[i] = ls;
      slots[i] = lslot;
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
    const n = this.times.length * 2;
    const t = new Float64Array(n);
    t.set(this.times);
    const s = new Float64Array(n);
    s.set(this.seqs);
    const l = new Int32Array(n);
    l.set(this.slots);
    const f = new Int32Array(n);
    f.set(this.free);
    this.times = t;
    this.seqs = s;
    this.slots = l;
    this.free = f;
  }
}
