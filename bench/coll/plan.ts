/**
 * What the collective benchmark measures, shared by the tsmpi program and the
 * Open MPI program's runner so their rows line up: collectives, message sizes
 * (bytes per rank, as OSU's osu_* collective tests count them) and iterations.
 */
export const COLLECTIVES = ["barrier", "bcast", "allreduce", "allgather", "alltoall"] as const;
/**
 * Measured for tsmpi only, and compared with Open MPI's row of the MPI call
 * it stands for: `allreduceInto` reduces a preallocated typed array (OSU's
 * osu_allreduce also preallocates its buffers), where `allreduce` returns a
 * newly allocated result each call.
 */
export const TSMPI_ONLY = { allreduceInto: "allreduce" } as const;
export type CollectiveName = (typeof COLLECTIVES)[number] | keyof typeof TSMPI_ONLY;

/** Default sweep: 8 B … 4 MiB by powers of eight plus 1 MiB (a full 8:4M sweep is `--sizes 8:4M`). */
export const DEFAULT_SIZES = [8, 64, 512, 4096, 32768, 262144, 1 << 20, 4 << 20];

/**
 * Iterations per timed repeat: enough that a small collective's time rises
 * above timer and scheduling noise, few for large ones (estimate, as OSU's
 * split of -i/-x at 8 KiB).
 */
export function iterations(bytes: number, np: number, scale = 1): number {
  const base = bytes <= 8192 ? 400 : bytes <= 65536 ? 60 : bytes <= 1 << 20 ? 12 : 4;
  return Math.max(2, Math.round((base * scale * 4) / Math.max(4, np)));
}

export interface CollRow {
  collective: CollectiveName;
  bytes: number;
  iterations: number;
  /** Per-repeat latency in µs, averaged over ranks (OSU's avg), then the median of repeats. */
  avgUs: number;
  /** The fastest and slowest repeat of that average, µs (absent in results written before they were recorded). */
  minAvgUs?: number;
  maxAvgUs?: number;
  /** The slowest rank's median, µs. */
  maxUs: number;
  samples: number[];
}

export interface CollResult {
  source: string;
  np: number;
  repeats: number;
  rows: CollRow[];
  stamp?: unknown;
}
