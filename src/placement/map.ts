/**
 * The placement map: where every rank sits (hosts → VMs → ranks) and which
 * transport joins ranks of different VMs. Ranks of one VM always use `shm`.
 * The JSON format is described in docs/placement.md and
 * src/placement/placement.schema.json.
 */

export interface VmEntry {
  name: string;
  /** World ranks in this VM (each rank in exactly one VM). */
  ranks: number[];
}

export interface HostEntry {
  name: string;
  vms: VmEntry[];
}

/** A transport forced for one pair of ranks, or for every pair between two VMs (both directions). */
export type Override = { ranks: [number, number]; transport: string } | { vms: [string, string]; transport: string };

/** One candidate of a checked comm-aware placement, with its figures. */
export interface CandidateRecord {
  /** `comm-aware (builtin)`, `block`, `cyclic`, `random:1`. */
  strategy: string;
  /** The cost model's estimate on the profile (src/placement/mapper/evaluate.ts). */
  estimateSeconds: number;
  /** The simulator's virtual time for the program on this map (`tsmpi map --verify`). */
  virtualSeconds?: number;
  bytesInsideVms: number;
  bytesInsideHosts: number;
}

/** How `tsmpi map --strategy comm-aware` chose the map, for the record: read by people, ignored when the map is used. */
export interface MapChoice {
  /** The candidate whose map this is. */
  kept: string;
  /** `simulation`: the lowest virtual time (`--verify`); `model`: the lowest modelled estimate. */
  by: "simulation" | "model";
  reason: string;
  /** What was simulated, under which cost model and compute charging. */
  simulation?: { program: string; args: string[]; model: string; compute: string };
  candidates: CandidateRecord[];
}

export interface PlacementMap {
  version?: 1;
  /** Transport between ranks of different VMs unless an override says otherwise. */
  transport: string;
  hosts: HostEntry[];
  overrides?: Override[];
  chosen?: MapChoice;
}

/** True for a placement map (hosts are objects), false for a PlacementTable (hosts are names). */
export function isPlacementMap(x: unknown): x is PlacementMap {
  if (typeof x !== "object" || x === null) return false;
  const hosts = (x as { hosts?: unknown }).hosts;
  return Array.isArray(hosts) && (hosts.length === 0 || typeof hosts[0] === "object");
}
