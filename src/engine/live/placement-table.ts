/**
 * The placement as plain data that crosses process and thread boundaries:
 * per-rank host and VM names and the per-pair transport matrix.
 */
import { TablePlacement } from "../../api/placement.ts";

export interface PlacementTable {
  hosts: string[];
  vms: string[];
  /** Distinct transport names; `pairs[a * size + b]` indexes into it. */
  transports: string[];
  pairs: Uint8Array;
}

export function placementFromTable(t: PlacementTable): TablePlacement {
  const size = t.hosts.length;
  return new TablePlacement(t.hosts, t.vms, (a, b) => (a === b ? "self" : t.transports[t.pairs[a * size + b]!]!));
}

/** Everyone in one VM over shared memory. */
export function singleVmTable(size: number): PlacementTable {
  return {
    hosts: Array.from({ length: size }, () => "host0"),
    vms: Array.from({ length: size }, () => "vm0"),
    transports: ["shm"],
    pairs: new Uint8Array(size * size),
  };
}
