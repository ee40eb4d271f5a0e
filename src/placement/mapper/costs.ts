/**
 * What the mapper needs to know about the paths of one transport: the cost of
 * a message and of a byte at each level of the machine (same VM = shm, same
 * host, different hosts), and the shared resources some paths cross — a
 * host's bridge CPU (dom0, shared by all its VMs, for `bridged`), a VM's NIC
 * processor (its message rate, for `slurpoe`). The level costs are what the
 * two ends pay; a shared resource's costs are paid on that resource, and its
 * total load is what makes it a bottleneck.
 *
 * Phase 2 derives a PathCosts from the model (src/model, the stages of
 * src/transport/cost.ts); here it is only an input, so the mapper can be
 * tested against hand-made costs.
 */
import * as v from "valibot";
import { MpiError } from "../../errors.ts";
import { LEVELS, type Level, type LevelIndex, type Machine, hostOfVm } from "./machine.ts";

export interface UnitCost {
  /** Seconds per message. */
  perMessage: number;
  /** Seconds per byte. */
  perByte: number;
}

export interface SharedResource extends UnitCost {
  /** Resource name as the model spells it: `bridge`, `nic`; an instance is `bridge@host1`, `nic@vm5`. */
  name: string;
  /** One instance per host or per VM. */
  scope: "host" | "vm";
  /** Which pairs cross it: a pair crosses the instance at each end (once when both ends share it). */
  crossedBy: Exclude<Level, "sameVm">[];
}

export interface PathCosts {
  /** The inter-VM transport these costs describe (the map's "transport"). */
  transport: string;
  sameVm: UnitCost;
  sameHost: UnitCost;
  otherHost: UnitCost;
  shared: SharedResource[];
}

const seconds = v.pipe(v.number(), v.finite(), v.minValue(0));
const Unit = v.object({ perMessage: seconds, perByte: seconds });
const PathCostsSchema = v.object({
  transport: v.pipe(v.string(), v.minLength(1)),
  sameVm: Unit,
  sameHost: Unit,
  otherHost: Unit,
  shared: v.array(
    v.object({
      name: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]*$/)),
      scope: v.picklist(["host", "vm"]),
      crossedBy: v.array(v.picklist(["sameHost", "otherHost"])),
      perMessage: seconds,
      perByte: seconds,
    }),
  ),
});

/** Check path costs given from outside (a file, a model); names every wrong field. */
export function parsePathCosts(x: unknown, where = "the path costs"): PathCosts {
  const r = v.safeParse(PathCostsSchema, x);
  if (!r.success)
    throw new MpiError(
      "ERR_PLACEMENT",
      `${where} are not valid: ${r.issues.map((i) => `${v.getDotPath(i) ?? "(top level)"}: ${i.message}`).join("; ")}; costs are seconds (>= 0) per message and per byte`,
    );
  return r.output;
}

/**
 * The whole cost of one message and one byte between a pair at each level:
 * the level's own cost plus every shared resource the pair crosses, counted
 * once per instance crossed. Indexed by LevelIndex.
 */
export function levelCoefficients(c: PathCosts): UnitCost[] {
  return LEVELS.map((level) => {
    let perMessage = c[level].perMessage;
    let perByte = c[level].perByte;
    for (const r of c.shared) {
      if (level === "sameVm" || !r.crossedBy.includes(level)) continue;
      const instances = r.scope === "host" && level === "sameHost" ? 1 : 2;
      perMessage += instances * r.perMessage;
      perByte += instances * r.perByte;
    }
    return { perMessage, perByte };
  });
}

/** The instance indices of resource `r` a pair between VMs `a` and `b` at `level` crosses (none, one or two). */
export function instancesCrossed(r: SharedResource, m: Machine, a: number, b: number, level: LevelIndex): number[] {
  if (level === 0 || !r.crossedBy.includes(LEVELS[level] as "sameHost" | "otherHost")) return [];
  const ia = r.scope === "host" ? hostOfVm(m, a) : a;
  const ib = r.scope === "host" ? hostOfVm(m, b) : b;
  return ia === ib ? [ia] : [ia, ib];
}

export function instanceCount(r: SharedResource, m: Machine): number {
  return r.scope === "host" ? m.hosts : m.hosts * m.vmsPerHost;
}

export function instanceName(r: SharedResource, i: number): string {
  return `${r.name}@${r.scope}${i}`;
}
