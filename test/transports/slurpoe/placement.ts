/**
 * Placement tables for SLURPoE tests and benchmarks: ranks spread over VMs
 * (round-robin blocks), pairs in one VM over shared memory, pairs across VMs
 * over slurpoe.
 */
import type { PlacementTable } from "../../../src/placement/resolved.ts";

export function slurpoePlacement(np: number, vms: number, hosts = vms): PlacementTable {
  const per = Math.ceil(np / vms);
  const vm = (r: number): number => Math.floor(r / per);
  const pairs = new Uint8Array(np * np);
  for (let a = 0; a < np; a++) for (let b = 0; b < np; b++) pairs[a * np + b] = vm(a) === vm(b) ? 0 : 1;
  return {
    hosts: Array.from({ length: np }, (_, r) => `host${vm(r) % hosts}`),
    vms: Array.from({ length: np }, (_, r) => `vm${vm(r)}`),
    transports: ["shm", "slurpoe"],
    pairs,
  };
}
