/** The study's JSON: one point per program × size, one row per transport × strategy (× mapper). */
import type { Machine, MapperName } from "../../../src/placement/mapper/index.ts";
import type { Summary } from "../../lib/stats.ts";
import type { Characterisation } from "./characterise.ts";

export interface PointSpec {
  /** A label for the report (the program's file name and its arguments). */
  label: string;
  program: string;
  args: string[];
  np: number;
  machine: Machine;
  transports: string[];
  strategies: string[];
  mappers: MapperName[];
  /**
   * The model preset(s) the simulator runs and the mapper's path costs come from: one preset, or
   * `bridged=xen-bridged,vf=sriov,slurpoe=inic-slurpoe` (the default, src/model/for-transport.ts).
   */
  model?: string;
  /** How the simulator charges compute (sim.compute): `none` (default) compares placements on communication alone. */
  compute: string;
  /** Also run every placement live, `repeats` times each (small sizes only: every rank is a thread on this machine). */
  live: boolean;
  repeats: number;
}

/** A placement run for real: the program's own time (or the job's wall time when it reports none), over repeats. */
export interface LiveFigure {
  seconds: Summary;
  /** `program`: the time the program returned (NAS kernels' timed section); `job`: the launch's wall time. */
  measured: "program" | "job";
}

export interface StudyRow {
  transport: string;
  strategy: string;
  /** The candidate whose map was kept (comm-aware keeps a plain one when the simulation finds it faster). */
  kept: string;
  /** The simulator's virtual time for the program on the kept map (deterministic with compute none). */
  virtualSeconds: number;
  /** The most utilised shared resources in that simulation (busy fraction of the virtual time). */
  utilisation: Record<string, number>;
  /** The cost model's estimate (evaluate.ts): an average rank's communication plus the busiest shared resource. */
  estimateSeconds: number;
  pairSeconds: number;
  busiest: { resource: string; seconds: number } | undefined;
  /** The most loaded shared resource instances by the model, busy seconds. */
  topLoads: [string, number][];
  bytesInsideVms: number;
  bytesInsideHosts: number;
  /** Seconds the mapping took (for comm-aware, the simulations of its candidates included). */
  mapSeconds: number;
  /** For comm-aware: the virtual time of the mapper's own map, kept or not. */
  mapperVirtualSeconds?: number;
  live?: LiveFigure;
}

export interface StudyPoint {
  spec: PointSpec;
  profileSeconds: number;
  characterisation: Characterisation;
  rows: StudyRow[];
  /** VM of every rank per strategy (first transport), for the placement strip beside the heat map. */
  vmOf: Record<string, number[]>;
  /** With live runs: "N ranks + K NIC threads on C cores" when the live runs had more busy threads than cores. */
  oversubscribed?: string;
  /**
   * Per transport, block's communication alone (its simulated time, compute free) and with the compute
   * communication did not hide added (measured once: the profiling run, block under the first transport,
   * compute charged by CPU time); `share` = the first over the second.
   */
  communication: Record<string, { communicationSeconds: number; withComputeSeconds: number; share: number }>;
  /** Seconds the simulations took (wall time of this point's process). */
  simulateSeconds: number;
}
