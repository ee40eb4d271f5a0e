/**
 * Summary statistics for repeated measurements. Benchmarks report the median
 * (robust against the odd descheduled repeat on a shared machine) and the
 * best case (what the path can do when nothing interferes), as OSU and
 * Open MPI's own tuning guides do.
 */

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Every repeat, in the order measured. */
  samples: number[];
}

/** Median of a non-empty list: the middle value, or the mean of the two middle values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("summarize: no samples");
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of samples) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  return { median: median(samples), min, max, samples: [...samples] };
}

/** Combines the summaries of several runs: median of their medians, best min, worst max. */
export function combineRuns(runs: readonly Summary[]): Summary {
  if (runs.length === 0) throw new RangeError("combineRuns: no runs");
  return {
    median: median(runs.map((r) => r.median)),
    min: Math.min(...runs.map((r) => r.min)),
    max: Math.max(...runs.map((r) => r.max)),
    samples: runs.flatMap((r) => r.samples),
  };
}
