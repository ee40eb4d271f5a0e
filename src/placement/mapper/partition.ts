/**
 * Recursive bisection into parts of exact sizes: split the parts list in two
 * halves, bisect the graph into those two total sizes, recurse into each side.
 * Vertices weigh one rank each here, so every part gets exactly its size.
 */
import { bisect } from "./bisect.ts";
import { type WeightedGraph, induced } from "./weighted.ts";

/** Move the cheapest vertices until part 0 weighs exactly `target0` (bisection normally lands there already). */
function makeExact(g: WeightedGraph, side: Uint8Array, target0: number): void {
  let w0 = 0;
  for (let v = 0; v < g.n; v++) if (side[v] === 0) w0 += g.vw[v]!;
  while (w0 !== target0) {
    const from = w0 > target0 ? 0 : 1;
    let pick = -1;
    let pickGain = Number.NEGATIVE_INFINITY;
    for (let v = 0; v < g.n; v++) {
      if (side[v] !== from) continue;
      let gain = 0;
      for (let e = g.xadj[v]!; e < g.xadj[v + 1]!; e++) gain += side[g.adj[e]!] === from ? -g.w[e]! : g.w[e]!;
      if (gain > pickGain) {
        pick = v;
        pickGain = gain;
      }
    }
    side[pick] = 1 - from;
    w0 += from === 0 ? -g.vw[pick]! : g.vw[pick]!;
  }
}

/** Part index (into `sizes`) of every vertex; part i holds exactly sizes[i] vertices. */
export function partitionExact(g: WeightedGraph, sizes: readonly number[], rand: () => number): Int32Array {
  const part = new Int32Array(g.n);
  const go = (h: WeightedGraph, ids: Int32Array, first: number, count: number): void => {
    if (count === 1) {
      for (const v of ids) part[v] = first;
      return;
    }
    const half = Math.ceil(count / 2);
    let target0 = 0;
    for (let i = first; i < first + half; i++) target0 += sizes[i]!;
    const side = bisect(h, target0, rand);
    makeExact(h, side, target0);
    for (const s of [0, 1] as const) {
      const local: number[] = [];
      for (let v = 0; v < h.n; v++) if (side[v] === s) local.push(v);
      const sub = induced(h, local);
      const subIds = Int32Array.from(local, (v) => ids[v]!);
      if (s === 0) go(sub, subIds, first, half);
      else go(sub, subIds, first + half, count - half);
    }
  };
  go(
    g,
    Int32Array.from({ length: g.n }, (_, v) => v),
    0,
    sizes.length,
  );
  return part;
}
