/**
 * What a host needs beyond its VMs, under a foreign launcher: the first
 * process on each host starts it (the bridged transport's bridge, the
 * privileged domain of that host) and publishes its address through the
 * job's key-value store.
 */
import type { JobBootstrap } from "../../bootstrap/job.ts";
import type { PlacementTable } from "../../placement/resolved.ts";
import type { KeyValueStore } from "../../transport/contract.ts";

export interface HostServicesPlan {
  job: JobBootstrap;
  /** Node of every launched process. */
  hosts: readonly string[];
  table: PlacementTable;
  vms: readonly { vm: string; host: string; ranks: number[] }[];
  settings: Record<string, string>;
  secret: string;
  bind: string;
  kvs: KeyValueStore;
  fail(why: string): void;
}

export interface HostServices {
  /** Transport options for this process's VM. */
  options: Record<string, unknown>;
  stop(): Promise<void>;
}

export async function startHostServices(_plan: HostServicesPlan): Promise<HostServices> {
  return { options: {}, stop: async () => {} };
}
