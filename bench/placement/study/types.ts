/** The study's JSON: one point per program × size, one row per transport × strategy (× mapper). */
import type { Machine, MapperName } from "../../../src/placement/mapper/index.ts";
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
}

export interface StudyRow {
  transport: string;
  strategy: string;
  /** The strategy whose map was kept (comm-aware keeps a plain one when the model prices it lower). */
  kept: string;
  /** The cost model's estimate (evaluate.ts): an average rank's communication plus the busiest shared resource. */
  estimateSeconds: number;
  pairSeconds: number;
  busiest: { resource: string; seconds: number } | undefined;
  /** The most loaded shared resource instances, busy seconds. */
  topLoads: [string, number][];
  bytesInsideVms: number;
  bytesInsideHosts: number;
  mapSeconds: number;
}

export interface StudyPoint {
  spec: PointSpec;
  profileSeconds: number;
  characterisation: Characterisation;
  rows: StudyRow[];
  /** VM of every rank per strategy (first transport), for the placement strip beside the heat map. */
  vmOf: Record<string, number[]>;
}
