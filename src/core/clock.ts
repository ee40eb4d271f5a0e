/**
 * The clock seam. Everything that reports time to a program (`wtime()`,
 * `Comm.wtime()`) reads a Clock, never `performance.now()` directly, so an
 * engine can substitute time: the live engine uses the wall clock; the
 * simulator gives each rank a virtual clock and makes it current while that
 * rank runs (its ranks share one thread and run one at a time).
 *
 * Spin and sleep timing in src/core/progress.ts stays on the wall clock on
 * purpose: it measures how long this thread has busy-waited, not program time.
 */
export interface Clock {
  /** Seconds since an arbitrary origin fixed for the job. */
  now(): number;
}

/** Wall-clock time, high resolution (MPI_Wtime). */
export const wallClock: Clock = { now: () => performance.now() / 1000 };

let current: Clock = wallClock;

/** The clock of the rank running now (the wall clock outside the simulator). */
export function currentClock(): Clock {
  return current;
}

/** The simulator makes a rank's virtual clock current before it resumes that rank. */
export function setCurrentClock(clock: Clock): void {
  current = clock;
}
