/** Turning a validated map into the PlacementTable the engines carry (per-rank host/VM, per-pair transport). */
import type { PlacementTable } from "../engine/live/placement-table.ts";
import { INTER_VM_TRANSPORTS, type PlacementMap } from "./map.ts";
import { validateMap } from "./validate.ts";

export function mapToTable(map: PlacementMap, np: number, known: readonly string[] = INTER_VM_TRANSPORTS): PlacementTable {
  validateMap(map, np, known);
  const hosts = new Array<string>(np);
  const vms = new Array<string>(np);
  for (const h of map.hosts)
    for (const vm of h.vms)
      for (const r of vm.ranks) {
        hosts[r] = h.name;
        vms[r] = vm.name;
      }
  const transports = ["shm"];
  const index = (name: string): number => {
    let i = transports.indexOf(name);
    if (i < 0) i = transports.push(name) - 1;
    return i;
  };
  const pairs = new Uint8Array(np * np);
  const inter = index(map.transport);
  for (let a = 0; a < np; a++) for (let b = 0; b < np; b++) pairs[a * np + b] = vms[a] === vms[b] ? 0 : inter;
  // Later overrides win over earlier ones; a rank-pair override over a VM-pair one listed before it.
  for (const o of map.overrides ?? []) {
    const t = index(o.transport);
    if ("ranks" in o) {
      const [a, b] = o.ranks;
      pairs[a * np + b] = t;
      pairs[b * np + a] = t;
    } else {
      const [va, vb] = o.vms;
      for (let a = 0; a < np; a++) for (let b = 0; b < np; b++) if ((vms[a] === va && vms[b] === vb) || (vms[a] === vb && vms[b] === va)) pairs[a * np + b] = t;
    }
  }
  return { hosts, vms, transports, pairs };
}

/** The transport name between every pair, as rows (for manifests); "self" on the diagonal. */
export function transportMatrix(table: PlacementTable): string[][] {
  const n = table.hosts.length;
  return Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => (a === b ? "self" : table.transports[table.pairs[a * n + b]!]!)));
}
