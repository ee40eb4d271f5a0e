/**
 * The clock seam: what `wtime()` reads. Wall time in live runs; the
 * simulator installs its virtual clock (the running rank's virtual time) for
 * the length of a run, so every timer a program reads through tsmpi is
 * virtual there (SMPI's lesson: a clock that escapes virtualisation silently
 * measures the simulator, simgrid/simgrid #338).
 */
const wall = (): number => performance.now() / 1000;

let source: () => number = wall;

/** Seconds (high resolution) by the installed clock. */
export function now(): number {
  return source();
}

/** Install `clock` until the returned function restores the previous one. */
export function installClock(clock: () => number): () => void {
  const previous = source;
  source = clock;
  return () => {
    source = previous;
  };
}
