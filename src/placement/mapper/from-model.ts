/**
 * PathCosts from the model: a transport's path (its stages on named
 * resources, src/transport/cost.ts) for one representative pair at each level
 * — same VM, another VM of the host, another host — summed into per-message
 * and per-byte costs. Stages on the contended shared resources (a host's dom0
 * `bridge`, a host's `netcore`, a VM's `nic` processor) become the mapper's
 * shared resources, so their loads count; everything else (a rank's CPU, a
 * VM's PCIe or doorbell) is the level's own cost. A message is priced as one
 * frame: the eager sizes where placement matters most.
 *
 * The transport's `describePath` is passed in: src never imports transports/,
 * so the composition root (bench, bin) hands it over.
 */
import { type CostModel, type DescribePath, type Pair, RESOURCE_OWNER, type ResourceKind } from "../../transport/cost.ts";
import type { PathCosts, SharedResource, UnitCost } from "./costs.ts";
import { LEVELS } from "./machine.ts";

const SHARED: readonly ResourceKind[] = ["bridge", "netcore", "nic"];

const ends: Record<(typeof LEVELS)[number], Pair> = {
  sameVm: { src: { rank: 0, vm: "vm0", host: "host0" }, dst: { rank: 1, vm: "vm0", host: "host0" } },
  sameHost: { src: { rank: 0, vm: "vm0", host: "host0" }, dst: { rank: 1, vm: "vm1", host: "host0" } },
  otherHost: { src: { rank: 0, vm: "vm0", host: "host0" }, dst: { rank: 1, vm: "vm2", host: "host1" } },
};

/**
 * `describe(level)` gives the stages of a pair at that level: the inter-VM
 * transport's path for sameHost/otherHost, shm's for sameVm.
 */
export function pathCostsFromModel(transport: string, model: CostModel, sameVm: DescribePath, interVm: DescribePath): PathCosts {
  const level: Record<string, UnitCost> = {};
  const crossings: { level: (typeof LEVELS)[number]; kind: ResourceKind; instances: number; total: UnitCost }[] = [];
  for (const l of LEVELS) {
    const pair = ends[l];
    const stages = (l === "sameVm" ? sameVm : interVm)(pair, model);
    let perMessage = 0;
    let perByte = 0;
    const onShared = new Map<ResourceKind, UnitCost>();
    for (const s of stages) {
      const frame = s.perFrame / (s.every ?? 1);
      const kind = s.resource.split("@")[0] as ResourceKind;
      perMessage += s.latency ?? 0;
      if (s.coalesce && s.coalesce.frames > 1) perMessage += s.coalesce.seconds;
      if (l !== "sameVm" && SHARED.includes(kind)) {
        const t = onShared.get(kind) ?? { perMessage: 0, perByte: 0 };
        onShared.set(kind, { perMessage: t.perMessage + frame, perByte: t.perByte + s.perByte });
      } else {
        perMessage += frame;
        perByte += s.perByte;
      }
    }
    level[l] = { perMessage, perByte };
    for (const [kind, total] of onShared) crossings.push({ level: l, kind, instances: RESOURCE_OWNER[kind] === "host" && l === "sameHost" ? 1 : 2, total });
  }
  // The mapper charges one cost per instance a pair crosses (one instance when both ends share a host's
  // resource). A pair on one host may cross that instance twice (bridged: guest → dom0 → guest), pairs on
  // two hosts cross each end's once; so the cost per instance is the least any level pays per instance
  // crossed, and what a level's path pays beyond it stays in the level's own cost. Every level's total is
  // then the path's, and no level's own cost is negative.
  const shared = new Map<string, SharedResource>();
  for (const c of crossings) {
    const scope = RESOURCE_OWNER[c.kind] === "host" ? "host" : "vm";
    const r = shared.get(c.kind) ?? { name: c.kind, scope, crossedBy: [], perMessage: Number.POSITIVE_INFINITY, perByte: Number.POSITIVE_INFINITY };
    r.crossedBy.push(c.level as "sameHost" | "otherHost");
    r.perMessage = Math.min(r.perMessage, c.total.perMessage / c.instances);
    r.perByte = Math.min(r.perByte, c.total.perByte / c.instances);
    shared.set(c.kind, r);
  }
  for (const c of crossings) {
    const r = shared.get(c.kind)!;
    level[c.level]!.perMessage += c.total.perMessage - c.instances * r.perMessage;
    level[c.level]!.perByte += c.total.perByte - c.instances * r.perByte;
  }
  return { transport, sameVm: level.sameVm!, sameHost: level.sameHost!, otherHost: level.otherHost!, shared: [...shared.values()] };
}
