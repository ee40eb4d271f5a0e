/**
 * Placement by strategy on a machine of hosts × VMs × slots:
 * block | cyclic | random[:seed] (the generators of strategies.ts) or
 * comm-aware (the built-in mapper, or Scotch with `mapper: "scotch"`), with
 * the modelled cost of the profile under the result when a profile is given.
 */
import { MpiError } from "../../errors.ts";
import type { PlacementMap } from "../map.ts";
import type { CommProfile } from "../profile.ts";
import { generateMap, parseMapBy } from "../strategies.ts";
import { builtinMap } from "./builtin.ts";
import type { PathCosts } from "./costs.ts";
import { type Evaluation, evaluate } from "./evaluate.ts";
import { type CommGraph, graphFromProfile } from "./graph.ts";
import { type Machine, vmSizes } from "./machine.ts";
import { scotchMap } from "./scotch.ts";

export { builtinMap } from "./builtin.ts";
export { levelCoefficients, parsePathCosts, type PathCosts, type SharedResource, type UnitCost } from "./costs.ts";
export { evaluate, type Evaluation } from "./evaluate.ts";
export { graphFromProfile, graphFromTraffic, type CommGraph, type Traffic } from "./graph.ts";
export { LEVELS, vmSizes, type Machine } from "./machine.ts";
export { scotchMap, type ScotchResult } from "./scotch.ts";
export { pathCostsFromModel } from "./from-model.ts";
export { loadProfileGraph, scanProfileGraph } from "./profile-scan.ts";
export { BRIDGED, PATH_COST_PRESETS, presetCosts, SLURPOE, VF } from "./presets.ts";

export type MapperName = "builtin" | "scotch";

export interface PlaceOptions {
  strategy: string;
  machine: Machine;
  transport: string;
  /** Needed for comm-aware and for the evaluation; either the profile or its graph. */
  profile?: CommProfile;
  graph?: CommGraph;
  np?: number;
  costs?: PathCosts;
  mapper?: MapperName;
  seed?: number;
}

export interface Placed {
  map: PlacementMap;
  /** VM index of every rank (VMs numbered host by host). */
  vmOf: Int32Array;
  evaluation?: Evaluation;
  /** What made the map, for the record (`mapper`, Scotch's repairs). */
  how: { strategy: string; mapper?: MapperName; repaired?: number };
}

/** The map of a VM assignment: host h holds VMs h·V … h·V+V−1, named as the generators name them. */
export function mapFromAssignment(vmOf: ArrayLike<number>, m: Machine, transport: string): PlacementMap {
  const ranks: number[][] = Array.from({ length: m.hosts * m.vmsPerHost }, () => []);
  for (let r = 0; r < vmOf.length; r++) ranks[vmOf[r]!]!.push(r);
  return {
    version: 1,
    transport,
    hosts: Array.from({ length: m.hosts }, (_, h) => ({
      name: `host${h}`,
      vms: Array.from({ length: m.vmsPerHost }, (_, s) => ({ name: `vm${h * m.vmsPerHost + s}`, ranks: ranks[h * m.vmsPerHost + s]! })),
    })),
  };
}

/** VM index of every rank in `map`, VMs counted in the map's order. */
export function assignmentFromMap(map: PlacementMap, np: number): Int32Array {
  const vmOf = new Int32Array(np).fill(-1);
  let vm = 0;
  for (const h of map.hosts)
    for (const v of h.vms) {
      for (const r of v.ranks) vmOf[r] = vm;
      vm++;
    }
  return vmOf;
}

/** A candidate's simulated run: its virtual time and the busiest shared resources (busy fraction). */
export interface Simulated {
  virtualSeconds: number;
  utilisation: Record<string, number>;
}

/** Runs the program on a candidate's map in the simulator (the launcher supplies it: placement does not start engines). */
export type Simulate = (candidate: Placed) => Promise<Simulated>;

export interface Checked {
  kept: Placed;
  candidates: Placed[];
  /** Virtual time of each candidate, in the candidates' order, when they were simulated. */
  simulated?: Simulated[];
  /** Why `kept` was kept, in one sentence naming every candidate's figure. */
  reason: string;
}

/** `comm-aware (builtin)`, `block`, `random:1`: how a candidate is named in records and reports. */
export const candidateName = (p: Placed): string => (p.how.mapper ? `${p.how.strategy} (${p.how.mapper})` : p.how.strategy);

/**
 * Comm-aware placement, checked: the mapper's map and block, cyclic and
 * random are the candidates. With `simulate`, each is run in the simulator and
 * the one with the lowest virtual time is kept (the model only ranks; the
 * simulation charges every frame on its path and queues on the shared
 * resources); without it, the lowest modelled estimate. Either way comm-aware
 * is never worse than the plain strategies by the measure used. Ties go to the
 * earlier candidate, the mapper's own map first.
 */
export async function placeChecked(o: PlaceOptions, simulate?: Simulate): Promise<Checked> {
  const candidates = [await place({ ...o, strategy: "comm-aware" })];
  for (const strategy of ["block", "cyclic", `random:${o.seed ?? 1}`]) candidates.push(await place({ ...o, strategy }));
  if (!simulate) {
    const kept = candidates.reduce((a, b) => (b.evaluation!.estimate < a.evaluation!.estimate ? b : a));
    const figures = candidates.map((c) => `${candidateName(c)} ${(c.evaluation!.estimate * 1e3).toFixed(3)} ms`).join(", ");
    return { kept, candidates, reason: `lowest modelled estimate (${figures})` };
  }
  const simulated: Simulated[] = [];
  for (const c of candidates) simulated.push(await simulate(c));
  let best = 0;
  for (let i = 1; i < candidates.length; i++) if (simulated[i]!.virtualSeconds < simulated[best]!.virtualSeconds) best = i;
  const figures = candidates.map((c, i) => `${candidateName(c)} ${(simulated[i]!.virtualSeconds * 1e3).toFixed(3)} ms`).join(", ");
  return { kept: candidates[best]!, candidates, simulated, reason: `lowest simulated virtual time (${figures})` };
}

export async function place(o: PlaceOptions): Promise<Placed> {
  const graph = o.graph ?? (o.profile ? graphFromProfile(o.profile) : undefined);
  const np = graph?.n ?? o.np;
  if (np === undefined) throw new MpiError("ERR_PLACEMENT", "place: give the number of ranks or a communication profile");
  vmSizes(np, o.machine);
  let vmOf: Int32Array;
  const how: Placed["how"] = { strategy: o.strategy };
  if (o.strategy === "comm-aware") {
    if (!graph || !o.costs)
      throw new MpiError(
        "ERR_PLACEMENT",
        "--strategy comm-aware needs a communication profile (--comm FILE, from tsmpi profile) and the transport's path costs",
      );
    how.mapper = o.mapper ?? "builtin";
    if (how.mapper === "scotch") {
      const r = await scotchMap(graph, o.machine, o.costs);
      vmOf = r.vmOf;
      how.repaired = r.repaired;
    } else vmOf = builtinMap(graph, o.machine, o.costs, { seed: o.seed });
  } else {
    let mapBy: ReturnType<typeof parseMapBy>;
    try {
      mapBy = parseMapBy(o.strategy);
    } catch {
      throw new MpiError("ERR_PLACEMENT", `--strategy ${o.strategy}: use block, cyclic, random[:seed] or comm-aware`);
    }
    const generated = generateMap({ np, hosts: o.machine.hosts, vmsPerHost: o.machine.vmsPerHost, mapBy, transport: o.transport });
    vmOf = assignmentFromMap(generated, np);
  }
  const map = mapFromAssignment(vmOf, o.machine, o.transport);
  return { map, vmOf, how, evaluation: graph && o.costs ? evaluate(graph, vmOf, o.machine, o.costs) : undefined };
}
