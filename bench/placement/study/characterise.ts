/**
 * What kind of communicator a program is, from its profile: messages and
 * bytes per rank, how message sizes are spread, how many peers each rank
 * talks to, and a coarse heat map (at most 64 × 64 cells) for the report.
 */
import type { CommProfile } from "../../../src/placement/profile.ts";

export interface Characterisation {
  np: number;
  messagesPerRank: number;
  bytesPerRank: number;
  /** Per second of the profiling run's wall time in the sim engine (one thread runs every rank). */
  messagesPerSecondPerRank: number;
  bytesPerSecondPerRank: number;
  peersPerRank: number;
  /** Messages by the mean size of their pair, in power-of-two buckets: [upper bound in bytes, messages]. */
  sizeHistogram: [number, number][];
  /** Bytes sent from row block to column block; `cell` ranks per cell side. */
  heat: { cell: number; bytes: number[][] };
}

const MAX_CELLS = 64;

export function characterise(p: CommProfile, seconds: number): Characterisation {
  const n = p.np;
  let messages = 0;
  let bytes = 0;
  let peers = 0;
  const buckets = new Map<number, number>();
  const cell = Math.ceil(n / MAX_CELLS);
  const side = Math.ceil(n / cell);
  const heat = Array.from({ length: side }, () => new Array<number>(side).fill(0));
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      const m = p.messages[a]![b]!;
      if (a === b || m === 0) continue;
      const by = p.bytes[a]![b]!;
      messages += m;
      bytes += by;
      peers++;
      const upper = 2 ** Math.max(0, Math.ceil(Math.log2(Math.max(1, by / m))));
      buckets.set(upper, (buckets.get(upper) ?? 0) + m);
      heat[Math.floor(a / cell)]![Math.floor(b / cell)]! += by;
    }
  return {
    np: n,
    messagesPerRank: messages / n,
    bytesPerRank: bytes / n,
    messagesPerSecondPerRank: seconds > 0 ? messages / n / seconds : 0,
    bytesPerSecondPerRank: seconds > 0 ? bytes / n / seconds : 0,
    peersPerRank: peers / n,
    sizeHistogram: [...buckets].sort((x, y) => x[0] - y[0]),
    heat: { cell, bytes: heat },
  };
}
