/**
 * Placement under a foreign launcher (mpiexec, srun): each launched process
 * is one VM holding `ranksPerProcess` consecutive ranks, and VMs sit on the
 * nodes where the launcher started their processes. A user's own map stays
 * authoritative for transports, but the launcher decides which processes
 * share a node, so where the two group VMs differently tsmpi says so
 * (../shared/research/simulation-mapping-launchers.md §C.6: none of the
 * launchers knows about VMs, and tsmpi's map must be cross-checked).
 */
import { MpiError } from "../errors.ts";
import type { PlacementMap } from "./map.ts";

/** Process p of the launcher becomes the VM `vm<p>` on node `hosts[p]`, with ranks p·K … p·K+K−1. */
export function mapFromLauncher(hosts: readonly string[], ranksPerProcess: number, transport: string): PlacementMap {
  if (!Number.isInteger(ranksPerProcess) || ranksPerProcess < 1)
    throw new MpiError("ERR_PLACEMENT", `--ranks-per-process ${ranksPerProcess}: give a positive whole number of ranks for each launched process`);
  const byHost = new Map<string, PlacementMap["hosts"][number]>();
  hosts.forEach((host, p) => {
    let entry = byHost.get(host);
    if (!entry) byHost.set(host, (entry = { name: host, vms: [] }));
    entry.vms.push({ name: `vm${p}`, ranks: Array.from({ length: ranksPerProcess }, (_, i) => p * ranksPerProcess + i) });
  });
  return { version: 1, transport, hosts: [...byHost.values()] };
}

/** The VMs of a map in order (host by host), each with its host: VM i is run by launched process i. */
export function vmsInOrder(map: PlacementMap): { vm: string; host: string; ranks: number[] }[] {
  return map.hosts.flatMap((h) => h.vms.map((v) => ({ vm: v.name, host: h.name, ranks: v.ranks })));
}

/**
 * Where `map` and the launcher disagree about which VMs share a host: one
 * line per VM that the map puts with VMs the launcher put elsewhere, or
 * apart from VMs the launcher put with it. Throws when the map's VMs and the
 * launcher's processes are not the same number (nothing could run).
 */
export function launcherDisagreements(map: PlacementMap, hosts: readonly string[]): string[] {
  const vms = vmsInOrder(map);
  if (vms.length !== hosts.length)
    throw new MpiError(
      "ERR_PLACEMENT",
      `the placement map has ${vms.length} VMs but the launcher started ${hosts.length} processes; each launched process runs one VM, so start ${vms.length} processes or give a map with ${hosts.length} VMs`,
    );
  const warnings: string[] = [];
  vms.forEach((a, i) => {
    const together: string[] = [];
    const apart: string[] = [];
    vms.forEach((b, j) => {
      if (i === j) return;
      const mapSays = a.host === b.host;
      const launcherSays = hosts[i] === hosts[j];
      if (mapSays && !launcherSays) together.push(`${b.vm} (launcher: ${hosts[j]})`);
      if (!mapSays && launcherSays) apart.push(b.vm);
    });
    if (together.length > 0)
      warnings.push(`${a.vm}: the map puts it on ${a.host} with ${together.join(", ")}, but the launcher started it on ${hosts[i]}`);
    if (apart.length > 0)
      warnings.push(`${a.vm}: the map puts it on ${a.host}, apart from ${apart.join(", ")}, but the launcher started them all on ${hosts[i]}`);
  });
  return warnings;
}
