/**
 * The shape every point-to-point benchmark writes (tsmpi's osu.ts, the raw
 * SharedArrayBuffer baseline, the Open MPI program), so the runner can put
 * them side by side. Latency in microseconds (half round trip), bandwidth in
 * MB/s (10^6 bytes per second, as OSU reports).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Stamp } from "./stamp.ts";
import type { Summary } from "./stats.ts";

export interface SizeResult extends Summary {
  bytes: number;
  /** Round trips (latency) or windows (bandwidth) in each repeat. */
  iterations: number;
}

export interface P2pResult {
  /** Who produced it: "tsmpi", "raw-sab", "openmpi". */
  source: string;
  stamp: Stamp;
  np: number;
  /** Transport between ranks 0 and 1 (tsmpi), or a description of the path. */
  transport: string;
  /** "pair", or "idle-waiters" (ranks 2 and 3 blocked in recv meanwhile). */
  mode: string;
  repeats: number;
  window: number;
  latencyUs: SizeResult[];
  bandwidthMBps: SizeResult[];
  bibwMBps: SizeResult[];
  /** Anything a reader needs to reproduce the numbers (command line, settings). */
  notes?: Record<string, unknown>;
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Throws unless `value` has the P2pResult shape (used on JSON read back from another process). */
export function checkP2pResult(value: unknown, from: string): P2pResult {
  const v = value as Partial<P2pResult> | null;
  const rows = (list: unknown): boolean =>
    Array.isArray(list) && list.every((r) => typeof r?.bytes === "number" && typeof r?.median === "number" && typeof r?.min === "number");
  if (!v || typeof v.source !== "string" || !rows(v.latencyUs) || !rows(v.bandwidthMBps) || !rows(v.bibwMBps)) {
    throw new Error(`${from}: not a point-to-point benchmark result (expected source, latencyUs, bandwidthMBps, bibwMBps)`);
  }
  return v as P2pResult;
}
