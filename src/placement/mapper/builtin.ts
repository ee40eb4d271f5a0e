/**
 * The built-in comm-aware mapper. Down the hierarchy: ranks are split into
 * hosts by recursive multilevel bisection, with an edge weighing what it
 * costs to put its pair on different hosts rather than in one host; then each
 * host's ranks are split into its VMs the same way, weighing what a pair pays
 * in different VMs of the host rather than in one VM. Last, swaps between VMs
 * refine the whole estimate, shared-resource load included (refine.ts). A few
 * independent tries (different random streams) keep the best estimate.
 */
import { seededRandom } from "../strategies.ts";
import { type PathCosts, levelCoefficients } from "./costs.ts";
import { evaluate } from "./evaluate.ts";
import type { CommGraph } from "./graph.ts";
import { type Machine, vmSizes } from "./machine.ts";
import { partitionExact } from "./partition.ts";
import { refineSwaps } from "./refine.ts";
import { induced, weigh } from "./weighted.ts";

export interface BuiltinOptions {
  seed?: number;
  /** Independent tries; default 4 up to 1024 ranks, else 1. */
  tries?: number;
}

/**
 * Edge weight for a split: what the pair pays more when split at this level
 * (never below zero), plus a little of its whole cost, so that when two levels
 * cost the same the mapper still keeps talkers together.
 */
const TIE_BREAK = 1e-3;

/** VM index of every rank. */
export function builtinMap(g: CommGraph, m: Machine, costs: PathCosts, options: BuiltinOptions = {}): Int32Array {
  const sizes = vmSizes(g.n, m);
  const coef = levelCoefficients(costs);
  const step = (outer: number, inner: number) => (msgs: number, bytes: number) => {
    const whole = msgs * coef[2]!.perMessage + bytes * coef[2]!.perByte;
    const more = msgs * (coef[outer]!.perMessage - coef[inner]!.perMessage) + bytes * (coef[outer]!.perByte - coef[inner]!.perByte);
    return Math.max(0, more) + TIE_BREAK * whole;
  };
  const acrossHosts = weigh(g, step(2, 1));
  const acrossVms = weigh(g, step(1, 0));
  const hostSizes = Array.from({ length: m.hosts }, (_, h) => sizes.slice(h * m.vmsPerHost, (h + 1) * m.vmsPerHost).reduce((s, x) => s + x, 0));
  const tries = options.tries ?? (g.n <= 1024 ? 4 : 1);
  let best: Int32Array | undefined;
  let bestEstimate = Number.POSITIVE_INFINITY;
  for (let t = 0; t < tries; t++) {
    const rand = seededRandom((options.seed ?? 1) * 7919 + t);
    const hostOf = partitionExact(acrossHosts, hostSizes, rand);
    const vmOf = new Int32Array(g.n);
    for (let h = 0; h < m.hosts; h++) {
      const ranks: number[] = [];
      for (let r = 0; r < g.n; r++) if (hostOf[r] === h) ranks.push(r);
      const part = partitionExact(induced(acrossVms, ranks), sizes.slice(h * m.vmsPerHost, (h + 1) * m.vmsPerHost), rand);
      ranks.forEach((r, i) => {
        vmOf[r] = h * m.vmsPerHost + part[i]!;
      });
    }
    refineSwaps(g, vmOf, m, costs, rand);
    const estimate = evaluate(g, vmOf, m, costs).estimate;
    if (estimate < bestEstimate) {
      best = vmOf;
      bestEstimate = estimate;
    }
  }
  return best!;
}
