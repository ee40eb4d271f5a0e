/** How long a waiting rank of the live engine polls before it blocks, for a job of `np` ranks. */
import { availableParallelism } from "node:os";

/** TSMPI_SPIN_US, when set to a number (0 included). */
function spinFromEnvironment(): number | undefined {
  const v = process.env.TSMPI_SPIN_US;
  if (v === undefined || v.trim() === "" || !Number.isFinite(Number(v))) return undefined;
  return Math.max(0, Number(v));
}

/**
 * How long a waiting rank polls before it blocks. With a core for every rank
 * a long spin catches a reply within a microsecond; with more ranks than
 * cores a spinning rank holds the core its peer needs to answer, so it spins
 * only briefly and then blocks (Open MPI yields the core in that case too).
 */
function defaultSpin(np: number): number {
  return np > availableParallelism() ? 5 : 200;
}

/** TSMPI_SPIN_US when set, else the default for `np` ranks. */
export function spinMicroseconds(np: number): number {
  return spinFromEnvironment() ?? defaultSpin(np);
}
