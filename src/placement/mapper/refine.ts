/**
 * k-way refinement on the real objective: after recursive bisection has
 * placed ranks level by level, try swapping pairs of ranks between VMs and
 * keep a swap when it lowers the estimate of evaluate.ts — all three levels'
 * path costs at once, and the load on the busiest shared resource (a host's
 * bridge, a VM's NIC), which bisection cannot see. Swaps (not moves) keep
 * every VM at its exact size. For each rank only its most-connected VMs are
 * tried, and the work is bounded, so dense profiles stay fast.
 */
import { shuffle } from "../strategies.ts";
import { type PathCosts, instanceCount, levelCoefficients } from "./costs.ts";
import type { CommGraph } from "./graph.ts";
import { type LevelIndex, type Machine, hostOfVm, vmCount } from "./machine.ts";

const CANDIDATE_VMS = 4;
const MAX_PASSES = 6;
/** Edge visits one refinement may spend (about a second of work). */
const WORK_BUDGET = 150_000_000;
const TOP = 16;

export function refineSwaps(g: CommGraph, vmOf: Int32Array, m: Machine, costs: PathCosts, rand: () => number): void {
  const n = g.n;
  const k = vmCount(m);
  const host = Int32Array.from({ length: k }, (_, v) => hostOfVm(m, v));
  const level = (a: number, b: number): LevelIndex => (a === b ? 0 : host[a] === host[b] ? 1 : 2);
  const coef = levelCoefficients(costs);
  const cost = (e: number, l: LevelIndex): number => g.messages[e]! * coef[l]!.perMessage + g.bytes[e]! * coef[l]!.perByte;
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let r = 0; r < n; r++) members[vmOf[r]!]!.push(r);

  // Shared resource instances, flattened: resource ri's instance i is at offset[ri] + i.
  const shared = costs.shared;
  const offset: number[] = [];
  let instances = 0;
  for (const r of shared) {
    offset.push(instances);
    instances += instanceCount(r, m);
  }
  const loads = new Float64Array(instances);
  const delta = new Float64Array(instances);
  const touched = new Uint8Array(instances);
  const touchedList: number[] = [];
  const crosses = shared.map((r) => [false, r.crossedBy.includes("sameHost"), r.crossedBy.includes("otherHost")]);
  const add = (into: Float64Array, i: number, amount: number, mark: boolean): void => {
    into[i]! += amount;
    if (mark && !touched[i]) {
      touched[i] = 1;
      touchedList.push(i);
    }
  };
  const charge = (into: Float64Array, e: number, va: number, vb: number, sign: number, mark: boolean): void => {
    const l = level(va, vb);
    for (let ri = 0; ri < shared.length; ri++) {
      if (!crosses[ri]![l]) continue;
      const r = shared[ri]!;
      const amount = sign * (g.messages[e]! * r.perMessage + g.bytes[e]! * r.perByte);
      const ia = offset[ri]! + (r.scope === "host" ? host[va]! : va);
      const ib = offset[ri]! + (r.scope === "host" ? host[vb]! : vb);
      add(into, ia, amount, mark);
      if (ib !== ia) add(into, ib, amount, mark);
    }
  };
  for (let a = 0; a < n; a++) for (let e = g.xadj[a]!; e < g.xadj[a + 1]!; e++) if (g.adj[e]! > a) charge(loads, e, vmOf[a]!, vmOf[g.adj[e]!]!, 1, false);
  let top: number[] = [];
  let currentMax = 0;
  const rank = (): void => {
    top = Array.from({ length: instances }, (_, i) => i)
      .sort((p, q) => loads[q]! - loads[p]!)
      .slice(0, TOP);
    currentMax = top.length > 0 ? loads[top[0]!]! : 0;
  };
  rank();

  // Load deltas of swapping a (in x) with b (in y); returns the new busiest load.
  const swapMax = (a: number, x: number, b: number, y: number): number => {
    for (const [r, from, to, other] of [
      [a, x, y, b],
      [b, y, x, a],
    ] as const)
      for (let e = g.xadj[r]!; e < g.xadj[r + 1]!; e++) {
        const c = g.adj[e]!;
        if (c === other) continue;
        charge(delta, e, from, vmOf[c]!, -1, true);
        charge(delta, e, to, vmOf[c]!, 1, true);
      }
    let max = Number.NEGATIVE_INFINITY;
    for (const i of touchedList) max = Math.max(max, loads[i]! + delta[i]!);
    const untouched = top.find((i) => !touched[i]);
    if (untouched !== undefined) max = Math.max(max, loads[untouched]!);
    else for (let i = 0; i < instances; i++) if (!touched[i]) max = Math.max(max, loads[i]!);
    return max === Number.NEGATIVE_INFINITY ? 0 : max;
  };
  const holdsBusiest = (vm: number): boolean => top.length > 0 && shared.some((r, ri) => offset[ri]! + (r.scope === "host" ? host[vm]! : vm) === top[0]);
  const clearDelta = (apply: boolean): void => {
    for (const i of touchedList) {
      if (apply) loads[i]! += delta[i]!;
      delta[i] = 0;
      touched[i] = 0;
    }
    touchedList.length = 0;
  };

  // Gain (cost saved) of moving r from VM `from` to VM `to`, the others staying put.
  const moveGain = (r: number, from: number, to: number): number => {
    let s = 0;
    for (let e = g.xadj[r]!; e < g.xadj[r + 1]!; e++) {
      const vc = vmOf[g.adj[e]!]!;
      s += cost(e, level(from, vc)) - cost(e, level(to, vc));
    }
    return s;
  };

  const weightTo = new Float64Array(k);
  const edgeTo = new Int32Array(n).fill(-1);
  let work = 0;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let pass = 0; pass < MAX_PASSES && work < WORK_BUDGET; pass++) {
    shuffle(order, rand);
    let swaps = 0;
    for (const a of order) {
      if (work >= WORK_BUDGET) break;
      const x = vmOf[a]!;
      const vms: number[] = [];
      for (let e = g.xadj[a]!; e < g.xadj[a + 1]!; e++) {
        const vc = vmOf[g.adj[e]!]!;
        edgeTo[g.adj[e]!] = e;
        if (vc === x) continue;
        if (weightTo[vc] === 0) vms.push(vc);
        weightTo[vc]! += cost(e, 2);
      }
      vms.sort((p, q) => weightTo[q]! - weightTo[p]!);
      let best = { delta: -1e-12 * (currentMax + 1e-300), b: -1, y: -1 };
      for (const y of vms.slice(0, CANDIDATE_VMS)) {
        const gainA = moveGain(a, x, y);
        for (const b of members[y]!) {
          work += g.xadj[a + 1]! - g.xadj[a]! + g.xadj[b + 1]! - g.xadj[b]!;
          let gain = gainA + moveGain(b, y, x);
          const eab = edgeTo[b]!;
          // Both one-sided gains priced a–b as if they ended in one VM; they end in x and y.
          if (eab >= 0 && g.adj[eab] === b) gain -= 2 * (cost(eab, level(x, y)) - cost(eab, 0));
          let d = -gain / n;
          // Only the instances of x and y (and their hosts) change load, so unless one of them is the busiest
          // the bottleneck cannot shrink, and a swap the path costs do not favour is not worth pricing.
          if (shared.length > 0 && (d < best.delta || holdsBusiest(x) || holdsBusiest(y))) {
            d += swapMax(a, x, b, y) - currentMax;
            clearDelta(false);
          }
          if (d < best.delta) best = { delta: d, b, y };
        }
      }
      for (const y of vms) weightTo[y] = 0;
      for (let e = g.xadj[a]!; e < g.xadj[a + 1]!; e++) edgeTo[g.adj[e]!] = -1;
      if (best.b < 0) continue;
      const { b, y } = best;
      if (shared.length > 0) {
        swapMax(a, x, b, y);
        clearDelta(true);
        rank();
      }
      vmOf[a] = y;
      vmOf[b] = x;
      members[x]![members[x]!.indexOf(a)] = b;
      members[y]![members[y]!.indexOf(b)] = a;
      swaps++;
    }
    if (swaps === 0) break;
  }
}
