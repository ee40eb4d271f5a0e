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

export interface PlacementMap {
  version?: 1;
  /** Transport between ranks of different VMs unless an override says otherwise. */
  transport: string;
  hosts: HostEntry[];
  overrides?: Override[];
}

/** True for a placement map (hosts are objects), false for a PlacementTable (hosts are names). */
export function isPlacementMap(x: unknown): x is PlacementMap {
  if (typeof x !== "object" || x === null) return false;
  const hosts = (x as { hosts?: unknown }).hosts;
  return Array.isArray(hosts) && (hosts.length === 0 || typeof hosts[0] === "object");
}
