/**
 * The modelled cost of a profile under a placement. Two parts, both seconds:
 * - `pairSeconds`: every message and byte priced at the level its pair sits
 *   at (shared resources it crosses included) — the work the placement makes
 *   the machine do, as hop-bytes is for a torus but in modelled time;
 * - `busiest`: the load on the most loaded shared resource instance (a host's
 *   bridge CPU, a VM's NIC processor) — a bottleneck no rank can hide, since
 *   each is a single server shared by every pair that crosses it.
 * `estimate` = pairSeconds / np + busiest: an average rank's share of the work
 * plus the bottleneck's queue. It ranks placements; simulation verifies them.
 */
import { type PathCosts, instanceCount, instanceName, instancesCrossed, levelCoefficients } from "./costs.ts";
import type { CommGraph } from "./graph.ts";
import { type Machine, levelBetween } from "./machine.ts";

export interface Evaluation {
  pairSeconds: number;
  /** Load (busy seconds) per shared resource instance, e.g. `bridge@host1`. */
  loads: Record<string, number>;
  busiest: { resource: string; seconds: number } | undefined;
  estimate: number;
  /** Share of all bytes whose pair sits in one VM, and in one host (VM pairs included). */
  bytesInsideVms: number;
  bytesInsideHosts: number;
}

/** Cost of placing `g` with rank r in VM vmOf[r] on machine `m`. */
export function evaluate(g: CommGraph, vmOf: ArrayLike<number>, m: Machine, costs: PathCosts): Evaluation {
  const coef = levelCoefficients(costs);
  const loadArrays = costs.shared.map((r) => new Float64Array(instanceCount(r, m)));
  let pairSeconds = 0;
  const bytesAt = [0, 0, 0];
  for (let a = 0; a < g.n; a++)
    for (let e = g.xadj[a]!; e < g.xadj[a + 1]!; e++) {
      const b = g.adj[e]!;
      if (b < a) continue; // each undirected edge once
      const level = levelBetween(m, vmOf[a]!, vmOf[b]!);
      const msgs = g.messages[e]!;
      const bytes = g.bytes[e]!;
      pairSeconds += msgs * coef[level]!.perMessage + bytes * coef[level]!.perByte;
      bytesAt[level]! += bytes;
      costs.shared.forEach((r, ri) => {
        for (const i of instancesCrossed(r, m, vmOf[a]!, vmOf[b]!, level)) loadArrays[ri]![i]! += msgs * r.perMessage + bytes * r.perByte;
      });
    }
  const loads: Record<string, number> = {};
  let busiest: Evaluation["busiest"];
  costs.shared.forEach((r, ri) => {
    for (const [i, s] of loadArrays[ri]!.entries()) {
      loads[instanceName(r, i)] = s;
      if (busiest === undefined || s > busiest.seconds) busiest = { resource: instanceName(r, i), seconds: s };
    }
  });
  const all = bytesAt[0]! + bytesAt[1]! + bytesAt[2]!;
  return {
    pairSeconds,
    loads,
    busiest,
    estimate: pairSeconds / g.n + (busiest?.seconds ?? 0),
    bytesInsideVms: all === 0 ? 0 : bytesAt[0]! / all,
    bytesInsideHosts: all === 0 ? 0 : (bytesAt[0]! + bytesAt[1]!) / all,
  };
}
