/**
 * How a waiting rank makes progress: it polls its polled transports for a
 * short spin (so a message already on its way is picked up within a
 * microsecond or so), then sleeps until a transport's wakeup fires or an
 * event-style transport delivers. Spinning briefly and then sleeping is what
 * keeps 4+ ranks on 2 cores fast: ranks with nothing to do give their core
 * to ranks that have work.
 */
import type { MpiError } from "../errors.ts";
import type { Transport } from "../transport/contract.ts";

/** What progress drives: the rank's core. */
export interface ProgressSource {
  /** Retry queued frames and poll every polled transport; returns events handled. */
  pollOnce(): number;
  /** Incomplete requests: background progress runs while this is above zero. */
  readonly pendingCount: number;
  /** Set once the job is failing: waiting stops. */
  readonly failure: MpiError | undefined;
}

const now = (): number => performance.now();

/**
 * How long a waiting rank may block its thread in futex waits (Atomics.wait)
 * before it sleeps through the event loop instead. Blocking wakes in a few
 * microseconds where an event-loop wake-up takes tens to hundreds when ranks
 * outnumber cores; the bound keeps the rank's own timers and messages from
 * starving while it waits a long time.
 */
const BLOCKING_WAIT_MS = 20;
/** One futex wait: long enough to sleep, short enough to notice another transport. */
const BLOCKING_SLICE_MS = 1;
/**
 * What background progress and probes wait for: any poll that handled
 * something. An object like a request's, not undefined, so the spin loop
 * sees one shape (it runs twice per round trip of a ping-pong).
 */
const ANY_ARRIVAL = { done: false };
/** Spin budget when polls are interleaved with yields: the core is not wasted, so wait longer before blocking. */
const RELAXED_SPIN_MS = 0.05;

export class Progress {
  private readonly source: ProgressSource;
  private readonly pollers: readonly Transport[];
  private readonly spinMs: number;
  /** Resolvers of everyone sleeping until the next arrival (the progress loop, probes). */
  private wakers: (() => void)[] = [];
  private readonly armed = new Map<Transport, Promise<void>>();
  private driving = false;
  private readonly keepAlive: ReturnType<typeof setInterval>;
  /** The one polled transport that can block the thread, when nothing else needs the event loop. */
  private readonly blocker: Transport | undefined;
  /** The polled transport that yields the core between polls (oversubscribed), if any. */
  private readonly relax: Transport | undefined;
  /** Without `relax`: a polled transport's way to give the core away once every 64 polls of a spin, if any. */
  private readonly yielder: (() => void) | undefined;

  constructor(source: ProgressSource, pollers: readonly Transport[], spinMicroseconds: number, eventTransports: number) {
    this.source = source;
    this.pollers = pollers;
    this.blocker = pollers.length === 1 && eventTransports === 0 && pollers[0]!.waitSync ? pollers[0] : undefined;
    this.relax = pollers.find((t) => t.relax);
    const yielding = this.relax ? undefined : pollers.find((t) => t.yieldCore);
    this.yielder = yielding ? () => yielding.yieldCore!() : undefined;
    this.spinMs = spinMicroseconds / 1000;
    // Node 20: a pending Atomics.waitAsync does not keep a worker alive, so a
    // rank sleeping on shared memory would silently exit. This timer is
    // referenced only while someone sleeps or waits.
    this.keepAlive = setInterval(() => {}, 1 << 30);
    this.keepAlive.unref();
  }

  /**
   * One poll; true when `req` is complete or, for ANY_ARRIVAL (background
   * progress, probes), when the poll handled anything. A request rather than
   * a callback: this runs twice per round trip of a ping-pong, and a closure
   * per call costs more than the poll.
   */
  private polled(req: { done: boolean }): boolean {
    const n = this.source.pollOnce();
    return req === ANY_ARRIVAL ? n > 0 : req.done;
  }

  /** Poll until `polled(req)` holds or the spin budget runs out; true when it held. */
  private spinUntil(req: { done: boolean }): boolean {
    const relax = this.relax;
    const budget = relax ? Math.max(this.spinMs, RELAXED_SPIN_MS) : this.spinMs;
    // The clock is read only once polls found nothing: a message on its way
    // usually lands before that, and reading the clock costs a poll. Polls
    // interleaved with yields are a system call apart: check it every time.
    let deadline = Number.POSITIVE_INFINITY;
    for (let i = 1; ; i++) {
      if (this.polled(req)) return true;
      if (relax) {
        if (i === 1) deadline = now() + budget;
        else if (now() > deadline) return false;
        relax.relax!();
      } else if ((i & 63) === 0) {
        if (i === 64) deadline = now() + budget;
        else if (now() > deadline) return false;
        this.yielder?.();
      }
    }
  }

  /**
   * Block the thread in futex waits until `polled(req)` holds or the
   * blocking budget runs out; true when it held.
   */
  private blockUntil(req: { done: boolean }): boolean {
    const blocker = this.blocker;
    if (!blocker) return false;
    const deadline = now() + BLOCKING_WAIT_MS;
    do {
      blocker.waitSync!(BLOCKING_SLICE_MS);
      if (this.polled(req)) return true;
    } while (now() < deadline && !this.source.failure);
    return false;
  }

  /**
   * Blocking-style calls: pick up a completion that is on its way without a
   * trip through the event loop. The spin is spinUntil's loop written out for
   * a request: this is the hot path (twice per round trip of a ping-pong),
   * and going through spinUntil measured 3% slower there (0.30 against 0.29 µs
   * per 8 B half round trip, interleaved runs).
   */
  spinFor(req: { done: boolean }): void {
    if (req.done || this.pollers.length === 0) return;
    const source = this.source;
    const relax = this.relax;
    const yielder = this.yielder;
    const budget = relax ? Math.max(this.spinMs, RELAXED_SPIN_MS) : this.spinMs;
    let deadline = Number.POSITIVE_INFINITY;
    for (let i = 1; ; i++) {
      source.pollOnce();
      if (req.done) return;
      if (relax) {
        if (i === 1) deadline = now() + budget;
        else if (now() > deadline) break;
        relax.relax!();
      } else if ((i & 63) === 0) {
        if (i === 64) deadline = now() + budget;
        else if (now() > deadline) break;
        yielder?.();
      }
    }
    this.blockUntil(req);
  }

  /** Make sure progress continues in the background while anything waits. */
  ensure(): void {
    if (this.driving || this.source.pendingCount <= 0) return;
    this.driving = true;
    this.keepAlive.ref();
    void this.drive();
  }

  private async drive(): Promise<void> {
    try {
      while (this.source.pendingCount > 0 && !this.source.failure) {
        if (this.pollers.length > 0 && (this.spinUntil(ANY_ARRIVAL) || this.blockUntil(ANY_ARRIVAL))) {
          // Let the continuations of what just completed run before polling again.
          await null;
          continue;
        }
        await this.sleep();
      }
    } finally {
      this.driving = false;
      this.keepAlive.unref();
    }
  }

  /** Resolves after the next arrival (or failure); spins first when transports are polled. */
  async nextArrival(): Promise<void> {
    if (this.pollers.length > 0 && this.spinUntil(ANY_ARRIVAL)) return;
    if (this.source.failure) throw this.source.failure;
    await this.sleep();
    if (this.source.failure) throw this.source.failure;
  }

  private sleep(): Promise<void> {
    this.keepAlive.ref();
    return new Promise<void>((resolve) => {
      let woken = false;
      this.wakers.push(() => {
        if (woken) return;
        woken = true;
        if (!this.driving) this.keepAlive.unref();
        for (const t of this.pollers) t.awake?.();
        resolve();
      });
      for (const t of this.pollers) {
        // A transport returns the same promise while it is armed; listen to
        // each armed promise once so repeated sleeps do not pile up handlers.
        const p = t.wakeup!();
        if (this.armed.get(t) !== p) {
          this.armed.set(t, p);
          const fire = (): void => {
            if (this.armed.get(t) === p) this.armed.delete(t);
            this.wake();
          };
          p.then(fire, fire);
        }
      }
      // Arrivals that raced with arming were published before the wait word
      // moved; look once more so none is slept through.
      if (this.pollers.length > 0 && this.source.pollOnce() > 0) this.wake();
    });
  }

  /** Something arrived (or failed): wake every sleeper. */
  wake(): void {
    const ws = this.wakers;
    if (ws.length === 0) return;
    this.wakers = [];
    for (const w of ws) w();
  }

  close(): void {
    clearInterval(this.keepAlive);
  }
}
