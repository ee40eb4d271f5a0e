/**
 * A graph with one weight per edge and per vertex: what the partitioning
 * steps see. Edge weight = what cutting the edge at the current level of the
 * hierarchy costs; vertex weight = how many ranks a (coarsened) vertex holds.
 */
import type { CommGraph } from "./graph.ts";

export interface WeightedGraph {
  n: number;
  xadj: Int32Array;
  adj: Int32Array;
  w: Float64Array;
  vw: Int32Array;
}

/** Weigh every edge of `g` by `weight(messages, bytes)`; every vertex weighs one rank. */
export function weigh(g: CommGraph, weight: (messages: number, bytes: number) => number): WeightedGraph {
  const w = new Float64Array(g.adj.length);
  for (let e = 0; e < w.length; e++) w[e] = weight(g.messages[e]!, g.bytes[e]!);
  return { n: g.n, xadj: g.xadj, adj: g.adj, w, vw: new Int32Array(g.n).fill(1) };
}

/** The subgraph induced by `vertices` (renumbered 0..k-1 in that order). */
export function induced(g: WeightedGraph, vertices: ArrayLike<number>): WeightedGraph {
  const k = vertices.length;
  const local = new Int32Array(g.n).fill(-1);
  for (let i = 0; i < k; i++) local[vertices[i]!] = i;
  let edges = 0;
  for (let i = 0; i < k; i++) {
    const v = vertices[i]!;
    for (let e = g.xadj[v]!; e < g.xadj[v + 1]!; e++) if (local[g.adj[e]!]! >= 0) edges++;
  }
  const xadj = new Int32Array(k + 1);
  const adj = new Int32Array(edges);
  const w = new Float64Array(edges);
  const vw = new Int32Array(k);
  let at = 0;
  for (let i = 0; i < k; i++) {
    const v = vertices[i]!;
    vw[i] = g.vw[v]!;
    xadj[i] = at;
    for (let e = g.xadj[v]!; e < g.xadj[v + 1]!; e++) {
      const u = local[g.adj[e]!]!;
      if (u < 0) continue;
      adj[at] = u;
      w[at++] = g.w[e]!;
    }
  }
  xadj[k] = at;
  return { n: k, xadj, adj, w, vw };
}

export function totalWeight(g: WeightedGraph): number {
  let s = 0;
  for (let v = 0; v < g.n; v++) s += g.vw[v]!;
  return s;
}
