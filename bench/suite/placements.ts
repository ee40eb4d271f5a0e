/**
 * Named placements for the suite: "HxV" or "HxV:block|cyclic|random[:seed]"
 * (H hosts × V VMs per host, ranks mapped as `tsmpi run --map-by` does),
 * turned into a PlacementMap for a transport and rank count. Shared memory
 * joins only ranks of one VM, so "shm" always means every rank in one VM.
 */
import { MpiError } from "../../src/errors.ts";
import type { PlacementMap } from "../../src/placement/map.ts";
import { generateMap, parseMapBy } from "../../src/placement/strategies.ts";

export interface PlacementShape {
  hosts: number;
  vmsPerHost: number;
  mapBy: string;
}

/** The placement every shm run uses: one host, one VM. */
export const SINGLE_VM = "1x1";

export function parsePlacementName(name: string): PlacementShape {
  const m = /^(\d+)x(\d+)(?::(.+))?$/.exec(name.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1)
    throw new MpiError("ERR_ARG", `placement "${name}": write it as HOSTSxVMS[:block|cyclic|random:seed], e.g. 2x2 or 2x2:cyclic`);
  const mapBy = m[3] ?? "block";
  parseMapBy(mapBy);
  return { hosts: Number(m[1]), vmsPerHost: Number(m[2]), mapBy };
}

/** The name runs are labelled with: shm collapses to one VM, and ":block" (the default) is dropped. */
export function effectivePlacement(transport: string, name: string): string {
  if (transport === "shm") return SINGLE_VM;
  const p = parsePlacementName(name);
  return `${p.hosts}x${p.vmsPerHost}${p.mapBy === "block" ? "" : `:${p.mapBy}`}`;
}

/**
 * The placement of a 2-rank point-to-point run: the two ranks on two VMs of
 * different hosts when the placement has several hosts, else two VMs of one
 * host; shm: one VM.
 */
export function p2pPlacement(transport: string, name: string): string {
  if (transport === "shm") return SINGLE_VM;
  const p = parsePlacementName(name);
  return p.hosts >= 2 ? "2x1" : "1x2";
}

/** The map for a run, or undefined for one VM (shm). Throws ERR_PLACEMENT when it cannot hold np ranks. */
export function placementMap(transport: string, name: string, np: number): PlacementMap | undefined {
  if (transport === "shm" || name === SINGLE_VM) return undefined;
  const p = parsePlacementName(name);
  return generateMap({ np, hosts: p.hosts, vmsPerHost: p.vmsPerHost, mapBy: parseMapBy(p.mapBy), transport });
}
