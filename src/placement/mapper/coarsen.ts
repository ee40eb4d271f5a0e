/**
 * Coarsening by heavy-edge matching (Karypis & Kumar's METIS scheme): each
 * vertex, in random order, pairs with the unmatched neighbour it shares the
 * heaviest edge with; each pair becomes one vertex. Heavy edges vanish inside
 * coarse vertices, so a cut found on the coarse graph avoids them.
 */
import { shuffle } from "../strategies.ts";
import type { WeightedGraph } from "./weighted.ts";

export interface Level {
  graph: WeightedGraph;
  /** fine vertex → coarse vertex */
  toCoarse: Int32Array;
}

/** One coarsening step; no coarse vertex weighs more than `maxVertexWeight`. */
export function coarsenOnce(g: WeightedGraph, maxVertexWeight: number, rand: () => number): Level {
  const match = new Int32Array(g.n).fill(-1);
  for (const v of shuffle(
    Int32Array.from({ length: g.n }, (_, i) => i),
    rand,
  )) {
    if (match[v]! >= 0) continue;
    let best = v;
    let bestW = -1;
    for (let e = g.xadj[v]!; e < g.xadj[v + 1]!; e++) {
      const u = g.adj[e]!;
      if (match[u]! >= 0 || u === v || g.vw[u]! + g.vw[v]! > maxVertexWeight) continue;
      // Ties go to the lighter neighbour, which keeps coarse weights even.
      if (g.w[e]! > bestW || (g.w[e]! === bestW && g.vw[u]! < g.vw[best]!)) {
        best = u;
        bestW = g.w[e]!;
      }
    }
    match[v] = best;
    match[best] = v;
  }
  const toCoarse = new Int32Array(g.n).fill(-1);
  let n = 0;
  for (let v = 0; v < g.n; v++) {
    if (toCoarse[v]! >= 0) continue;
    toCoarse[v] = n;
    toCoarse[match[v]!] = n;
    n++;
  }
  // Contract: merge the two rows of every pair, adding weights of shared neighbours.
  const xadj = new Int32Array(n + 1);
  const adj = new Int32Array(g.adj.length);
  const w = new Float64Array(g.adj.length);
  const vw = new Int32Array(n);
  const slot = new Int32Array(n).fill(-1);
  const members = new Int32Array(2 * n).fill(-1);
  for (let v = 0; v < g.n; v++) {
    const c = toCoarse[v]!;
    members[2 * c + (members[2 * c]! < 0 ? 0 : 1)] = v;
  }
  let at = 0;
  for (let c = 0; c < n; c++) {
    xadj[c] = at;
    for (let k = 0; k < 2; k++) {
      const v = members[2 * c + k]!;
      if (v < 0) continue;
      vw[c]! += g.vw[v]!;
      for (let e = g.xadj[v]!; e < g.xadj[v + 1]!; e++) {
        const u = toCoarse[g.adj[e]!]!;
        if (u === c) continue;
        if (slot[u]! >= xadj[c]!) w[slot[u]!]! += g.w[e]!;
        else {
          slot[u] = at;
          adj[at] = u;
          w[at++] = g.w[e]!;
        }
      }
    }
  }
  xadj[n] = at;
  return { graph: { n, xadj, adj: adj.slice(0, at), w: w.slice(0, at), vw }, toCoarse };
}

/**
 * Coarsen until the graph has at most `smallest` vertices or stops shrinking
 * (a step that removes less than a tenth of the vertices).
 */
export function coarsen(g: WeightedGraph, smallest: number, maxVertexWeight: number, rand: () => number): Level[] {
  const levels: Level[] = [];
  let current = g;
  while (current.n > smallest) {
    const next = coarsenOnce(current, maxVertexWeight, rand);
    if (next.graph.n > 0.9 * current.n) break;
    levels.push(next);
    current = next.graph;
  }
  return levels;
}
