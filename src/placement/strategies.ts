/**
 * Map generators: `--hosts H --vms-per-host V --map-by block|cyclic|random[:seed]`.
 * VMs are numbered host by host (vm0..vm{V-1} on host0, then host1, …).
 * - block: consecutive ranks fill a VM before the next (the first np % K VMs get one more);
 * - cyclic: rank r goes to the r-th VM in host-alternating order, so neighbours land on different hosts;
 * - random:seed: a seeded shuffle of the ranks, then block (same seed, same map).
 */
import { MpiError } from "../errors.ts";
import type { PlacementMap } from "./map.ts";

export type MapBy = { kind: "block" } | { kind: "cyclic" } | { kind: "random"; seed: number };

export interface StrategyOptions {
  np: number;
  hosts: number;
  vmsPerHost: number;
  mapBy: MapBy;
  transport: string;
}

export function parseMapBy(text: string): MapBy {
  if (text === "block" || text === "cyclic") return { kind: text };
  const m = /^random(?::(-?\d+))?$/.exec(text);
  if (m) return { kind: "random", seed: m[1] === undefined ? 1 : Number(m[1]) };
  throw new MpiError("ERR_PLACEMENT", `--map-by ${text}: use block, cyclic or random[:seed] (e.g. random:7)`);
}

/** mulberry32: a small seeded generator, so a seed always gives the same map on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateMap(o: StrategyOptions): PlacementMap {
  const { np, hosts, vmsPerHost } = o;
  for (const [flag, v] of [
    ["--hosts", hosts],
    ["--vms-per-host", vmsPerHost],
  ] as const)
    if (!Number.isInteger(v) || v < 1) throw new MpiError("ERR_PLACEMENT", `${flag} must be a positive integer, got ${String(v)}`);
  const k = hosts * vmsPerHost;
  if (k > np)
    throw new MpiError(
      "ERR_PLACEMENT",
      `--hosts ${hosts} --vms-per-host ${vmsPerHost} makes ${k} VMs but -n ${np} fills only ${np}; every VM needs a rank: use fewer VMs or more ranks`,
    );
  const slots: number[][] = Array.from({ length: k }, () => []);
  if (o.mapBy.kind === "cyclic") {
    // Host-alternating VM order: host0/vm0, host1/vm0, …, host0/vm1, …
    const order: number[] = [];
    for (let s = 0; s < vmsPerHost; s++) for (let h = 0; h < hosts; h++) order.push(h * vmsPerHost + s);
    for (let r = 0; r < np; r++) slots[order[r % k]!]!.push(r);
  } else {
    const ranks = Array.from({ length: np }, (_, r) => r);
    if (o.mapBy.kind === "random") {
      const rand = seededRandom(o.mapBy.seed);
      for (let i = np - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [ranks[i], ranks[j]] = [ranks[j]!, ranks[i]!];
      }
    }
    const base = Math.floor(np / k);
    const extra = np % k;
    let at = 0;
    for (let v = 0; v < k; v++) {
      const n = base + (v < extra ? 1 : 0);
      slots[v] = ranks.slice(at, at + n).sort((a, b) => a - b);
      at += n;
    }
  }
  return {
    version: 1,
    transport: o.transport,
    hosts: Array.from({ length: hosts }, (_, h) => ({
      name: `host${h}`,
      vms: Array.from({ length: vmsPerHost }, (_, s) => ({ name: `vm${h * vmsPerHost + s}`, ranks: slots[h * vmsPerHost + s]! })),
    })),
  };
}
