/**
 * Multilevel bisection: split a weighted graph in two parts of given weights
 * with the least cut. Coarsen by heavy-edge matching, seed the coarsest graph
 * by greedy graph growing (several starts, the best kept), then project back
 * level by level, refining each with Fiduccia–Mattheyses passes.
 */
import { coarsen } from "./coarsen.ts";
import { GainHeap } from "./gain-heap.ts";
import { type WeightedGraph, totalWeight } from "./weighted.ts";

/** Vertices of the coarsest graph; below this, greedy growing from several starts is cheap. */
const COARSEST = 48;
const SEEDS = 6;
/** An FM pass gives up after this many moves without a better state. */
const PATIENCE = 64;
const MAX_PASSES = 10;

export function cutOf(g: WeightedGraph, side: Uint8Array): number {
  let cut = 0;
  for (let v = 0; v < g.n; v++) for (let e = g.xadj[v]!; e < g.xadj[v + 1]!; e++) if (side[g.adj[e]!] !== side[v]) cut += g.w[e]!;
  return cut / 2;
}

function weightOf0(g: WeightedGraph, side: Uint8Array): number {
  let w0 = 0;
  for (let v = 0; v < g.n; v++) if (side[v] === 0) w0 += g.vw[v]!;
  return w0;
}

/**
 * Fiduccia–Mattheyses refinement in place. Moves may leave part 0 at most
 * `slack` away from `target0`; a state counts only when it is at most
 * `accept` away (so with unit weights, slack 1 and accept 0, moves alternate
 * sides as Kernighan–Lin swaps do). Among counted states the least cut wins;
 * when none is within `accept`, the most balanced one does.
 */
export function refineFm(g: WeightedGraph, side: Uint8Array, target0: number, slack: number, accept: number): void {
  const n = g.n;
  const gain = new Float64Array(n);
  const stamp = new Int32Array(n);
  const locked = new Uint8Array(n);
  const heaps = [new GainHeap(), new GainHeap()];
  const moves = new Int32Array(n);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let w0 = weightOf0(g, side);
    let cut = cutOf(g, side);
    const excess = (x: number): number => Math.max(0, Math.abs(x - target0) - accept);
    let bestExcess = excess(w0);
    let bestCut = cut;
    let bestAt = 0;
    heaps[0]!.clear();
    heaps[1]!.clear();
    locked.fill(0);
    for (let v = 0; v < n; v++) {
      let s = 0;
      for (let e = g.xadj[v]!; e < g.xadj[v + 1]!; e++) s += side[g.adj[e]!] === side[v] ? -g.w[e]! : g.w[e]!;
      gain[v] = s;
      stamp[v]!++;
      heaps[side[v]!]!.push(s, v, stamp[v]!);
    }
    let count = 0;
    let sinceBest = 0;
    while (sinceBest < PATIENCE) {
      // Take the better of the two sides' best vertices, among moves the slack allows.
      let pick = -1;
      for (const s of [0, 1] as const) {
        const v = heaps[s]!.peek(stamp);
        if (v < 0) continue;
        const after = s === 0 ? w0 - g.vw[v]! : w0 + g.vw[v]!;
        if (Math.abs(after - target0) > slack && Math.abs(after - target0) >= Math.abs(w0 - target0)) continue;
        if (pick < 0 || gain[v]! > gain[pick]!) pick = v;
      }
      if (pick < 0) break;
      const from = side[pick]!;
      heaps[from]!.pop();
      locked[pick] = 1;
      cut -= gain[pick]!;
      w0 += from === 0 ? -g.vw[pick]! : g.vw[pick]!;
      side[pick] = 1 - from;
      moves[count++] = pick;
      for (let e = g.xadj[pick]!; e < g.xadj[pick + 1]!; e++) {
        const u = g.adj[e]!;
        if (locked[u]) continue;
        // The edge was internal for u (same side as `from`) or external; the move flips it.
        gain[u]! += side[u] === from ? 2 * g.w[e]! : -2 * g.w[e]!;
        stamp[u]!++;
        heaps[side[u]!]!.push(gain[u]!, u, stamp[u]!);
      }
      const ex = excess(w0);
      if (ex < bestExcess || (ex === bestExcess && cut < bestCut - 1e-12 * Math.abs(bestCut))) {
        bestExcess = ex;
        bestCut = cut;
        bestAt = count;
        sinceBest = 0;
      } else sinceBest++;
    }
    for (let i = count - 1; i >= bestAt; i--) side[moves[i]!] = 1 - side[moves[i]!]!;
    if (bestAt === 0) break;
  }
}

/** Greedy graph growing: part 0 grows from `start`, always taking the vertex that adds the least cut. */
function grow(g: WeightedGraph, target0: number, start: number): Uint8Array {
  const side = new Uint8Array(g.n).fill(1);
  const conn = new Float64Array(g.n); // weight to part 0 minus weight to part 1, for vertices in part 1
  for (let v = 0; v < g.n; v++) for (let e = g.xadj[v]!; e < g.xadj[v + 1]!; e++) conn[v]! -= g.w[e]!;
  let w0 = 0;
  let next = start;
  while (next >= 0) {
    side[next] = 0;
    w0 += g.vw[next]!;
    for (let e = g.xadj[next]!; e < g.xadj[next + 1]!; e++) conn[g.adj[e]!]! += 2 * g.w[e]!;
    next = -1;
    for (let v = 0; v < g.n; v++)
      if (side[v] === 1 && Math.abs(w0 + g.vw[v]! - target0) < Math.abs(w0 - target0) && (next < 0 || conn[v]! > conn[next]!)) next = v;
  }
  return side;
}

/**
 * Split `g` into part 0 of weight `target0` and part 1 of the rest. With unit
 * vertex weights the split is exact. `rand` makes the search repeatable.
 */
export function bisect(g: WeightedGraph, target0: number, rand: () => number): Uint8Array {
  const total = totalWeight(g);
  if (target0 <= 0) return new Uint8Array(g.n).fill(1);
  if (target0 >= total) return new Uint8Array(g.n);
  // Coarse vertices stay light enough that both parts can still be balanced.
  const maxVertexWeight = Math.max(1, Math.floor(Math.min(target0, total - target0) / 6));
  const levels = coarsen(g, COARSEST, maxVertexWeight, rand);
  const coarsest = levels.length > 0 ? levels[levels.length - 1]!.graph : g;
  const slackAt = (h: WeightedGraph): number => {
    let m = 1;
    for (let v = 0; v < h.n; v++) m = Math.max(m, h.vw[v]!);
    return m;
  };
  let best: Uint8Array | undefined;
  let bestScore = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let s = 0; s < SEEDS; s++) {
    const side = grow(coarsest, target0, Math.floor(rand() * coarsest.n));
    const slack = slackAt(coarsest);
    refineFm(coarsest, side, target0, slack, levels.length === 0 ? 0 : slack);
    const score = [Math.abs(weightOf0(coarsest, side) - target0), cutOf(coarsest, side)];
    if (score[0]! < bestScore[0]! || (score[0] === bestScore[0] && score[1]! < bestScore[1]!)) {
      best = side;
      bestScore = score;
    }
  }
  let side = best!;
  for (let i = levels.length - 1; i >= 0; i--) {
    const finer = i === 0 ? g : levels[i - 1]!.graph;
    const map = levels[i]!.toCoarse;
    const projected = new Uint8Array(finer.n);
    for (let v = 0; v < finer.n; v++) projected[v] = side[map[v]!]!;
    side = projected;
    const slack = slackAt(finer);
    refineFm(finer, side, target0, slack, i === 0 ? 0 : slack);
  }
  return side;
}
