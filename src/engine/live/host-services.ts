/**
 * What a host needs beyond its VMs, under a foreign launcher: every
 * transport the job uses may have a `prepareHost` hook (the bridged
 * transport's bridge, the privileged domain of its host); the first process
 * on each host starts the service and publishes it through the job's store.
 */
import type { PlacementTable } from "../../placement/resolved.ts";
import type { KeyValueStore } from "../../transport/contract.ts";
import { loadTransportModule } from "../../transport/registry.ts";

export interface HostServicesPlan {
  /** This process's index among the launched processes. */
  process: number;
  /** The map's host of every launched process's VM. */
  hosts: readonly string[];
  table: PlacementTable;
  settings: Record<string, string>;
  secret: string;
  bind: string;
  kvs: KeyValueStore;
  log(line: string): void;
  fail(why: string): void;
}

export interface HostServices {
  /** Transport options for this process's VM. */
  options: Record<string, unknown>;
  stop(): Promise<void>;
}

export async function startHostServices(p: HostServicesPlan): Promise<HostServices> {
  const { table } = p;
  const size = table.hosts.length;
  const host = p.hosts[p.process]!;
  const options: Record<string, unknown> = {};
  const stops: (() => Promise<void>)[] = [];
  const used = new Set<number>();
  for (let a = 0; a < size; a++) for (let b = 0; b < size; b++) if (a !== b) used.add(table.pairs[a * size + b]!);
  for (const index of used) {
    const mod = await loadTransportModule(table.transports[index]!);
    if (!mod.prepareHost) continue;
    const prep = await mod.prepareHost({
      size,
      hosts: table.hosts,
      vms: table.vms,
      uses: (a, b) => a !== b && table.pairs[a * size + b] === index,
      settings: p.settings,
      secret: p.secret,
      bind: p.bind,
      kvs: p.kvs,
      log: p.log,
      fail: p.fail,
      host,
      first: p.hosts.indexOf(host) === p.process,
    });
    Object.assign(options, prep.options);
    stops.push(() => prep.stop());
  }
  return { options, stop: async () => void (await Promise.all(stops.map((s) => s()))) };
}
