/**
 * The shapes the benchmark suite writes and reads: what one run is asked to
 * do (RunSpec), what came of it (RunRecord), and the whole document
 * (SuiteDocument) that the table and the HTML report are drawn from, so a
 * report can be regenerated from saved JSON alone.
 */
import type { CollResult } from "../coll/plan.ts";
import type { P2pResult } from "../lib/results.ts";
import type { NasResult } from "../nas/common/report.ts";
import type { ThreadCount } from "../lib/load.ts";
import type { MachineStamp } from "../lib/stamp.ts";
import type { PlacementMap } from "../../src/placement/map.ts";

export const SUITES = ["p2p", "coll", "nas"] as const;
export type SuiteName = (typeof SUITES)[number];

export const KERNELS = ["ep", "is", "cg", "mg", "ft"] as const;

/** Options of the point-to-point part, passed to bench/p2p/osu.ts. */
export interface P2pSettings {
  /** Size list as osu.ts takes it ("8,1K,64K,1M" or "0:4M"). */
  sizes: string;
  repeats: number;
  /** Multiplies osu.ts's iteration counts (1 = its defaults). */
  scale: number;
  /** Which tests: latency, bw, bibw. */
  only: string[];
}

/** Options of the collective part, passed to bench/coll/osu-coll.ts. */
export interface CollSettings {
  sizes: string;
  repeats: number;
  scale: number;
  /** Collectives to run (empty: all of osu-coll.ts's). */
  only: string[];
}

/** Everything that decides which runs happen and how: stamped into the document. */
export interface SuiteSettings {
  suites: SuiteName[];
  transports: string[];
  /** Placement names, "HxV" or "HxV:block|cyclic|random[:seed]" (hosts × VMs per host). */
  placements: string[];
  /** Ranks of the NAS and collective runs (point-to-point always uses 2). */
  np: number[];
  kernels: string[];
  classes: string[];
  p2p: P2pSettings;
  coll: CollSettings;
  /**
   * Launches of every NAS point, in rounds (the whole matrix, then again), so
   * a burst of load hits every point alike; the table shows the median and
   * the spread. Point-to-point and collective points repeat inside one
   * launch (their `repeats`).
   */
  runs: number;
  /** Transport settings (`--set key=value`) given to every run. */
  settings: Record<string, string>;
  engine: "live" | "sim";
  /** A run still going after this many seconds is stopped and reported as an error. */
  timeoutSeconds: number;
  /** Where results/report-*.html and the JSON go. */
  out: string;
}

/** One run of the matrix. */
export interface RunSpec {
  id: string;
  suite: SuiteName;
  transport: string;
  /** The placement's name as given ("2x2:block"), or "1x1" for shm-only (every rank in one VM). */
  placement: string;
  np: number;
  /** NAS only. */
  kernel?: string;
  class?: string;
  program: string;
  args: string[];
}

export type RunStatus = "ok" | "failed" | "error" | "unavailable";

export interface PlacementRecord {
  name: string;
  map?: PlacementMap;
  hosts?: string[];
  vms?: string[];
  /** Transport between every pair, row = sender; "self" on the diagonal. */
  matrix?: string[][];
}

export interface RunRecord {
  id: string;
  suite: SuiteName;
  transport: string;
  np: number;
  kernel?: string;
  class?: string;
  program: string;
  args: string[];
  placement: PlacementRecord;
  /**
   * ok: ran (and, for NAS, verified); failed: a NAS kernel reported
   * Verification = FAILED; error: the job failed otherwise;
   * unavailable: the transport or placement could not be set up here.
   */
  status: RunStatus;
  reason?: string;
  /** Wall-clock seconds of the whole job (start-up included). */
  seconds: number;
  /** The last lines the job printed, kept when it did not end well. */
  log?: string[];
  /** NAS: the median launch's result (by time); every launch's is in `nasRuns`. */
  nas?: NasResult;
  /** NAS: every launch's result, in the order run. */
  nasRuns?: NasResult[];
  /** Threads that want a core while this run works (ranks, NIC threads, bridges), and the machine's cores. */
  load?: RunLoad;
  p2p?: P2pResult;
  coll?: CollResult;
}

/** Threads that want a core while a run works (bench/lib/load.ts). */
export type RunLoad = ThreadCount;

/** The machine's load averages (1, 5, 15 minutes) when the suite started and when it ended. */
export interface LoadSamples {
  before: number[];
  after: number[];
}

export interface SuiteDocument {
  kind: "tsmpi-bench-suite";
  version: 1;
  created: string;
  machine: MachineStamp & { hostname: string };
  versions: { node: string; v8: string; tsmpi: string; dependencies: Record<string, string> };
  commandLine: string[];
  settings: SuiteSettings;
  runs: RunRecord[];
  /** Load averages sampled before the first run and after the last. */
  load?: LoadSamples;
  /** Wall-clock seconds of the whole suite. */
  seconds: number;
}
