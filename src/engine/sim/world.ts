/**
 * The simulator's virtual time. Every rank runs in this thread, one at a
 * time: a rank runs until it blocks in an MPI call, and the wall time it ran
 * since it was resumed (or since its last MPI call) is its compute burst,
 * charged to its own virtual clock × the compute scale. Frames it emits are
 * charged on their path and arrive as events; an event that completes what a
 * blocked rank awaits resumes that rank at the event's time.
 *
 * Ranks are resumed one at a time and the next event is popped only once the
 * resumed rank has blocked again (the runnable barrier of
 * simulation-mapping-launchers §A.5): nothing at a later time can happen
 * while a rank still runs, so runs are deterministic and ANY_SOURCE matches in
 * virtual arrival order.
 */
import { At, FrameType } from "../../core/frames.ts";
import type { FrameCharger } from "./charger.ts";
import { Flights } from "./flights.ts";
import { Scheduler } from "./scheduler.ts";

/** Told what happens, for traces (both callbacks optional). */
export interface SimObserver {
  /** A rank ran from `start` to `end` virtual seconds outside MPI (its compute burst). */
  burst?(rank: number, start: number, end: number): void;
  /** A rank waited from `start` to `end` in a blocking call, on `on` (described when it began). */
  wait?(rank: number, start: number, end: number, on: string): void;
  /** What a rank that just blocked waits for (its pending operations). */
  describeWait?(rank: number): string;
  /** An MPI call of rank `rank` ran from `start` to `end` (see src/trace/calls.ts). */
  call?(rank: number, name: string, start: number, end: number): void;
  /** A message's first frame: sent at `sent` by `src`, handed to `dst`'s core at `delivered`. */
  message?(flow: number, src: number, dst: number, sent: number, delivered: number, bytes: number): void;
}

/**
 * How many event-loop turns (the first ten immediate, then 5 ms each) a quiet
 * simulation waits for work that comes back through the event loop before it
 * is a deadlock: about 0.2 s, or 2 s while a rank is known to be busy outside
 * MPI (it neither blocked nor finished within a turn of being resumed).
 */
const QUIET_TURNS = 50;
const OUTSIDE_TURNS = 410;

/**
 * A busy simulation still lets the event loop turn this often (ms of wall
 * time), so a signal, `--timeout` or the launcher's own timers are heard
 * (a rank's run resolves through microtasks only, which never yield).
 */
const YIELD_MS = 50;

const SETTLED = Promise.resolve();

export class SimWorld {
  readonly scheduler = new Scheduler();
  /** Each rank's virtual clock, seconds. */
  readonly clock: Float64Array;
  /** The rank now running (-1: none). */
  running = -1;
  /** Frames charged. */
  frames = 0;
  private readonly scale: number;
  private wallMark = 0;
  /** Milliseconds by the clock compute bursts are measured on (wall, or this process's CPU time). */
  private readonly computeClock: () => number;
  private readonly charger: FrameCharger;
  private readonly deliverTo: (rank: number, source: number, buffer: Uint8Array, start: number, length: number) => void;
  private readonly flights = new Flights();
  /** Per rank: waits begun and completions seen since it was last resumed. */
  private readonly awaited: Int32Array;
  private readonly settles: Int32Array;
  readonly blocked: Uint8Array;
  readonly finished: Uint8Array;
  /** Ranks that neither blocked in MPI nor finished within a turn of the event loop: waiting on something else (a dynamic import). */
  readonly outside: Uint8Array;
  private readonly blockedAt: Float64Array;
  private readonly blockedOn: string[];
  private readonly probes: ((() => void)[] | undefined)[];
  /** The rank an event made runnable, to resume before the next event. */
  private runnable = -1;
  private onIdle: (() => void) | undefined;
  private onLoopEnd: (() => void) | undefined;
  /** Ranks resumed by the loop, and when it last let the event loop turn. */
  private runs = 0;
  private yielded = 0;
  private fallback: ReturnType<typeof setImmediate> | undefined;
  private nextFlow = 1;
  observer: SimObserver | undefined;

  constructor(
    np: number,
    charger: FrameCharger,
    computeScale: number,
    deliverTo: (rank: number, source: number, buffer: Uint8Array, start: number, length: number) => void,
    computeClock: () => number = () => performance.now(),
  ) {
    this.computeClock = computeClock;
    this.clock = new Float64Array(np);
    this.awaited = new Int32Array(np);
    this.settles = new Int32Array(np);
    this.blocked = new Uint8Array(np);
    this.finished = new Uint8Array(np);
    this.outside = new Uint8Array(np);
    this.blockedAt = new Float64Array(np);
    this.blockedOn = new Array<string>(np).fill("");
    this.probes = new Array(np);
    this.scale = computeScale;
    this.charger = charger;
    this.deliverTo = deliverTo;
  }

  /** Rank `r`'s virtual time now (the running rank's includes its burst so far). */
  now(r: number): number {
    if (r === this.running) {
      this.burst(r);
      return this.clock[r]!;
    }
    const c = this.clock[r]!;
    const t = this.scheduler.now;
    return c > t ? c : t;
  }

  /** The running rank's virtual time, or the event time between ranks (wtime()). */
  current(): number {
    return this.running >= 0 ? this.now(this.running) : this.scheduler.now;
  }

  /** Charge the running rank's compute since the last mark. */
  private burst(r: number): void {
    if (this.scale <= 0) return;
    const w = this.computeClock();
    const start = this.clock[r]!;
    const end = start + (w - this.wallMark) * 1e-3 * this.scale;
    this.clock[r] = end;
    this.wallMark = w;
    if (this.observer?.burst && end > start) this.observer.burst(r, start, end);
  }

  /** Rank `r`'s MPI call `name` ran from `start` to `end` (traced runs): recorded, and the recording is not its compute. */
  traceCall(r: number, name: string, start: number, end: number): void {
    this.observer?.call?.(r, name, start, end);
    this.remark(r);
  }

  /** The simulator's own work is not the rank's compute: restart the burst after it. */
  private remark(r: number): void {
    if (r === this.running && this.scale > 0) this.wallMark = this.computeClock();
  }

  /**
   * A frame from `src` to `dst` (the wire's trySend): its header and payload
   * are copied into a pooled slot, the sender's part of its path is charged,
   * and its arrival scheduled.
   */
  send(src: number, dst: number, header: Uint8Array, payload: Uint8Array | undefined): void {
    const t = this.now(src);
    const h = header.byteLength;
    const n = h + (payload ? payload.byteLength : 0);
    const type = header[At.TYPE]!;
    const route = this.charger.route(src, dst);
    const fl = this.flights;
    const i = fl.take(src, dst, n, type, route, t, type === FrameType.EAGER || type === FrameType.READY_TO_SEND ? this.nextFlow++ : 0);
    const buf = fl.bufferOf(i);
    const at = fl.startOf(i);
    buf.set(header, at);
    if (payload) {
      const m = payload.byteLength;
      // A byte loop beats `set` for a few bytes (an 8 B all-to-all is all such frames).
      if (m <= 16) for (let k = 0; k < m; k++) buf[at + h + k] = payload[k]!;
      else buf.set(payload, at + h);
    }
    const next = route.segment(0, t, n, type);
    // The send returns once the sender's CPU has done its part (LogGOPS: after o).
    const free = this.charger.cpuFree(src);
    if (free > this.clock[src]!) this.clock[src] = free;
    this.frames++;
    this.scheduler.at(next, route.segments > 1 ? this.arrive : this.deliver, i);
    this.remark(src);
  }

  private readonly arrive = (arg: unknown, time: number): void => {
    const i = arg as number;
    const fl = this.flights;
    const route = fl.routes[i]!;
    const seg = fl.nextSegment(i);
    const done = route.segment(seg, time, fl.length(i), fl.type(i));
    this.scheduler.at(done, seg + 1 < route.segments ? this.arrive : this.deliver, i);
  };

  private readonly deliver = (arg: unknown, time: number): void => {
    const i = arg as number;
    const fl = this.flights;
    const r = fl.dst(i);
    const src = fl.src(i);
    if (this.clock[r]! < time) this.clock[r] = time;
    const flow = fl.flow(i);
    if (flow && this.observer?.message) this.observer.message(flow, src, r, fl.sent(i), time, fl.length(i));
    // The receiver copies what it keeps: the slot is free once this returns.
    this.deliverTo(r, src, fl.bufferOf(i), fl.startOf(i), fl.length(i));
    fl.release(i);
    const waiting = this.probes[r];
    if (waiting) {
      this.probes[r] = undefined;
      this.settles[r]! += waiting.length;
      for (const w of waiting) w();
    }
    this.maybeRunnable(r);
  };

  /** A request rank `r` awaits completed (the core's onSettle). */
  settled(r: number): void {
    this.settles[r]!++;
  }

  private maybeRunnable(r: number): void {
    // A rank waiting on k requests (waitall) resumes after the k-th completes;
    // a guess (waitany resumes after one), backed by onTurn.
    if (this.blocked[r] && this.settles[r]! > 0 && this.settles[r]! >= this.awaited[r]! && this.runnable < 0) this.runnable = r;
  }

  /** Rank `r` started waiting on a request (the core's ensureProgress). */
  waits(r: number): void {
    this.awaited[r]!++;
    if (this.outside[r]) {
      // Back from outside MPI, now waiting in it.
      this.outside[r] = 0;
      this.blocked[r] = 1;
      this.blockedAt[r] = this.now(r);
      return;
    }
    if (r !== this.running) return;
    this.burst(r);
    this.running = -1;
    this.blocked[r] = 1;
    this.blockedAt[r] = this.clock[r]!;
    if (this.observer?.describeWait) this.blockedOn[r] = this.observer.describeWait(r);
    this.idle();
  }

  /** A probe waits for the next arrival at rank `r`. */
  nextArrival(r: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let list = this.probes[r];
      if (!list) this.probes[r] = list = [];
      list.push(resolve);
      this.waits(r);
    });
  }

  /** Rank `r`'s main returned or threw. */
  done(r: number): void {
    if (r === this.running) {
      this.burst(r);
      this.running = -1;
    }
    this.finished[r] = 1;
    this.blocked[r] = 0;
    this.outside[r] = 0;
    this.idle();
  }

  private idle(): void {
    const resolve = this.onIdle;
    if (!resolve) return;
    this.onIdle = undefined;
    resolve();
  }

  /**
   * The event loop turned: the microtasks ran out while a rank was running, so
   * it waits on something outside MPI (or was not resumed after all): the
   * simulation goes on without it. Armed once per turn rather than once per
   * resume: ranks that block through promises never let the loop turn, and a
   * timer per resume cost more than the resume.
   */
  private readonly onTurn = (): void => {
    this.fallback = undefined;
    const r = this.running;
    if (r >= 0) {
      this.running = -1;
      this.outside[r] = 1;
    }
    this.idle();
  };

  /**
   * Run rank `r` (start it with `start`) until it blocks or finishes. If it
   * does neither before the event loop turns, it waits on something outside
   * MPI: the simulation goes on.
   */
  run(r: number, start?: () => void): Promise<void> {
    const idle = new Promise<void>((resolve) => {
      this.onIdle = resolve;
    });
    this.enter(r);
    start?.();
    return idle;
  }

  /** Make `r` the running rank at the current event's time (the caller arranged onIdle). */
  private enter(r: number): void {
    const time = this.scheduler.now;
    if (this.blocked[r] && this.observer?.wait) this.observer.wait(r, this.blockedAt[r]!, Math.max(time, this.clock[r]!), this.blockedOn[r]!);
    if (this.clock[r]! < time) this.clock[r] = time;
    this.running = r;
    this.blocked[r] = 0;
    this.awaited[r] = 0;
    this.settles[r] = 0;
    this.fallback ??= setImmediate(this.onTurn);
    if (this.scale > 0) this.wallMark = this.computeClock();
  }

  /**
   * Pop events until one makes a rank runnable, then let the completion that
   * made it runnable continue it; repeat. Resolves when no event is pending
   * and no rank can run (every rank finished, or a deadlock: the caller tells
   * them apart). Driven by callbacks, not an async loop: a resumed rank's
   * `idle` queues the next round as one microtask, where awaiting a promise
   * per resume cost a promise, its resolvers and a reaction every time.
   */
  loop(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.onLoopEnd = resolve;
      this.runs = 0;
      this.yielded = performance.now();
      this.advance();
    });
  }

  /** A resumed rank blocked or finished: continue once its microtasks have run (where an await would have). */
  private readonly afterRun = (): void => {
    // A reaction on a settled promise: Node's queueMicrotask wraps every callback in an async resource.
    void SETTLED.then(this.nextRound);
  };

  private readonly nextRound = (): void => {
    // Reading the clock every 256 runs keeps its cost out of the frame rate.
    if ((++this.runs & 255) === 0 && performance.now() - this.yielded > YIELD_MS) {
      setImmediate(this.afterYield);
      return;
    }
    this.advance();
  };

  private readonly afterYield = (): void => {
    this.yielded = performance.now();
    this.advance();
  };

  private advance(): void {
    const s = this.scheduler;
    while (this.runnable < 0 && s.step()) {}
    if (this.runnable >= 0) {
      const r = this.runnable;
      this.runnable = -1;
      this.onIdle = this.afterRun;
      this.enter(r);
      return;
    }
    void this.quiet();
  }

  /**
   * Nothing pending and nobody runnable: every rank finished, or ranks wait on
   * each other (a deadlock), or some wait on something outside MPI (a dynamic
   * import, even inside a collective running beside a blocked one) that comes
   * back through the event loop. Give the last a few turns before deciding.
   */
  private async quiet(): Promise<void> {
    const s = this.scheduler;
    let turns = 0;
    while (this.runnable < 0 && s.pending === 0 && this.finished.includes(0)) {
      const limit = this.outside.includes(1) ? OUTSIDE_TURNS : QUIET_TURNS;
      if (turns++ >= limit) break;
      await new Promise<void>((resolve) => (turns <= 10 ? setImmediate(resolve) : setTimeout(resolve, 5)));
    }
    if (this.runnable < 0 && s.pending === 0) {
      this.onLoopEnd?.();
      return;
    }
    this.advance();
  }

  /** Ranks that have not finished. */
  unfinished(): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.finished.length; r++) if (!this.finished[r]) out.push(r);
    return out;
  }

  /** The latest virtual time any rank reached. */
  virtualSeconds(): number {
    let t = this.scheduler.now;
    for (const c of this.clock) if (c > t) t = c;
    return t;
  }
}
