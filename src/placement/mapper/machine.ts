/**
 * The machine a placement fills: `hosts` hosts, each with `vmsPerHost` VMs,
 * each VM with `slots` rank slots. VMs are numbered host by host (VM v sits on
 * host ⌊v / vmsPerHost⌋), as the block/cyclic generators number them.
 * A pair of ranks is joined at one of three levels: same VM (shm), same host
 * (another VM of the host), or different hosts.
 */
import { MpiError } from "../../errors.ts";

export interface Machine {
  hosts: number;
  vmsPerHost: number;
  /** Rank slots per VM. */
  slots: number;
}

export const LEVELS = ["sameVm", "sameHost", "otherHost"] as const;
export type Level = (typeof LEVELS)[number];
/** 0 same VM, 1 same host, 2 different hosts: the index into LEVELS. */
export type LevelIndex = 0 | 1 | 2;

export function vmCount(m: Machine): number {
  return m.hosts * m.vmsPerHost;
}

export function hostOfVm(m: Machine, vm: number): number {
  return Math.floor(vm / m.vmsPerHost);
}

export function levelBetween(m: Machine, vmA: number, vmB: number): LevelIndex {
  if (vmA === vmB) return 0;
  return hostOfVm(m, vmA) === hostOfVm(m, vmB) ? 1 : 2;
}

/**
 * How many ranks each VM holds, exactly: every VM full when np fills the
 * machine; otherwise spread as block does (the first np % K VMs get one more),
 * never more than `slots` and never an empty VM (the map format forbids one).
 */
export function vmSizes(np: number, m: Machine): number[] {
  for (const [flag, x] of [
    ["--hosts", m.hosts],
    ["--vms-per-host", m.vmsPerHost],
    ["--slots", m.slots],
  ] as const)
    if (!Number.isInteger(x) || x < 1) throw new MpiError("ERR_PLACEMENT", `${flag} must be a positive integer, got ${String(x)}`);
  const k = vmCount(m);
  const capacity = k * m.slots;
  if (np > capacity)
    throw new MpiError(
      "ERR_PLACEMENT",
      `-n ${np} does not fit ${m.hosts} host(s) × ${m.vmsPerHost} VM(s) × ${m.slots} slot(s) = ${capacity} slots; add hosts, VMs or slots, or run fewer ranks`,
    );
  if (np < k)
    throw new MpiError(
      "ERR_PLACEMENT",
      `${m.hosts} host(s) × ${m.vmsPerHost} VM(s) makes ${k} VMs but -n ${np} fills only ${np}; every VM needs a rank: use fewer VMs or more ranks`,
    );
  const base = Math.floor(np / k);
  const extra = np % k;
  return Array.from({ length: k }, (_, v) => base + (v < extra ? 1 : 0));
}
