/**
 * The simulator's event queue: a binary min-heap on virtual time, ties broken
 * by insertion order, so two runs that schedule the same events pop them in
 * the same order (determinism). Parallel arrays, not an object per event: the
 * heap is on the path of every frame the simulator charges (the probe in
 * simulation-mapping-launchers §A.5 ran such a heap at millions of events/s).
 */

export type Handler = (arg: unknown, time: number) => void;

export class Scheduler {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private handlers: (Handler | undefined)[] = [];
  private args: unknown[] = [];
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
    let i = this.size++;
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    const handlers = this.handlers;
    const args = this.args;
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && seqs[parent]! < seq)) break;
      this.move(parent, i);
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    handlers[i] = handler;
    args[i] = arg;
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
    const handlers = this.handlers;
    const args = this.args;
    const time = times[0]!;
    const handler = handlers[0]!;
    const arg = args[0];
    const last = --this.size;
    const lt = times[last]!;
    const ls = seqs[last]!;
    const lh = handlers[last];
    const la = args[last];
    handlers[last] = undefined;
    args[last] = undefined;
    if (last > 0) {
      // Sift the last element down from the root.
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= last) break;
        const right = child + 1;
        if (right < last && (times[right]! < times[child]! || (times[right] === times[child] && seqs[right]! < seqs[child]!))) child = right;
        const ct = times[child]!;
        if (lt < ct || (lt === ct && ls < seqs[child]!)) break;
        this.move(child, i);
        i = child;
      }
      times[i] = lt;
      seqs[i] = ls;
      handlers[i] = lh;
      args[i] = la;
    }
    this.now = time;
    this.handled++;
    handler(arg, time);
    return true;
  }

  /** Run events until none is pending or `stop()` says so after an event. */
  run(stop?: () => boolean): void {
    while (this.step()) if (stop?.()) return;
  }

  /** Heap slot `from` moves to slot `to`. */
  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.seqs[to] = this.seqs[from]!;
    this.handlers[to] = this.handlers[from];
    this.args[to] = this.args[from];
  }

  private grow(): void {
    const n = this.times.length * 2;
    const t = new Float64Array(n);
    t.set(this.times);
    const s = new Float64Array(n);
    s.set(this.seqs);
    this.times = t;
    this.seqs = s;
  }
}
