/**
 * How a member waits for its peers' counters in the shared segment: as
 * progress.ts waits for frames. Spin briefly (a peer already on its way
 * publishes within a microsecond or so), yielding the core between looks
 * when ranks outnumber cores; then block the thread in short futex waits on
 * the transport's doorbell (peers ring it after every store, and a frame
 * rings it too), for a bounded time; then go through the event loop between
 * waits, so timers, event-style transports and background point-to-point
 * progress are not starved by a long wait.
 */
import type { SharedSegment } from "../../transport/contract.ts";

const now = (): number => performance.now();

/**
 * Spin budget, ms, when every rank has a core: the launcher's default spin
 * for that case (launch.ts defaultSpin, 200 µs), long enough that a peer a
 * moment behind is met without a futex wake (each costs a system call on
 * both sides and, on a loaded machine, the sleeper's time slice).
 */
const SPIN_MS = 0.2;
/** Spin budget when each look is followed by a yield (the core is not wasted). */
const RELAXED_SPIN_MS = 0.05;
/** Blocking in futex waits before the event loop gets its turn (as progress.ts's BLOCKING_WAIT_MS). */
const BLOCKING_WAIT_MS = 20;
const BLOCKING_SLICE_MS = 1;

/** Spin, then block, until `ready()`; true when it held. Never yields to the event loop. */
export function spinThenBlock(segment: SharedSegment, ready: () => boolean): boolean {
  if (ready()) return true;
  const relax = segment.relax;
  const budget = relax ? RELAXED_SPIN_MS : SPIN_MS;
  let deadline = Number.POSITIVE_INFINITY;
  for (let i = 1; ; i++) {
    if (ready()) return true;
    if (relax) {
      if (i === 1) deadline = now() + budget;
      else if (now() > deadline) break;
      relax();
    } else if ((i & 63) === 0) {
      if (i === 64) deadline = now() + budget;
      else if (now() > deadline) break;
    }
  }
  const until = now() + BLOCKING_WAIT_MS;
  do {
    segment.waitSync(ready, BLOCKING_SLICE_MS);
    if (ready()) return true;
  } while (now() < until);
  return false;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Wait until `ready()`: undefined when it already holds or held while spinning, else a promise. */
export function waitFor(segment: SharedSegment, ready: () => boolean): Promise<void> | undefined {
  if (spinThenBlock(segment, ready)) return undefined;
  return slow(segment, ready);
}

/** After the blocking budget: one short futex wait per event-loop turn, so the loop keeps running. */
async function slow(segment: SharedSegment, ready: () => boolean): Promise<void> {
  for (;;) {
    await turn();
    if (ready()) return;
    segment.waitSync(ready, BLOCKING_SLICE_MS);
    if (ready()) return;
  }
}
