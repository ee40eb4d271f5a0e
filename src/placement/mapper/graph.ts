/**
 * The profile as a sparse, undirected graph (compressed rows): one edge per
 * pair of ranks that exchanged anything, carrying the messages and bytes of
 * both directions. Every mapping step works on this, so memory grows with the
 * number of communicating pairs, not with np².
 */
import type { CommProfile } from "../profile.ts";

export interface CommGraph {
  n: number;
  /** Edges of vertex v are adj[xadj[v] .. xadj[v+1]). Each edge is stored at both ends. */
  xadj: Int32Array;
  adj: Int32Array;
  messages: Float64Array;
  bytes: Float64Array;
}

/** One directed count: `from` sent `messages` messages holding `bytes` bytes to `to`. */
export interface Traffic {
  from: number;
  to: number;
  messages: number;
  bytes: number;
}

export function graphFromProfile(p: CommProfile): CommGraph {
  const list: Traffic[] = [];
  for (let a = 0; a < p.np; a++) {
    const mr = p.messages[a]!;
    const br = p.bytes[a]!;
    for (let b = 0; b < p.np; b++) if (a !== b && (mr[b]! > 0 || br[b]! > 0)) list.push({ from: a, to: b, messages: mr[b]!, bytes: br[b]! });
  }
  return graphFromTraffic(p.np, list);
}

/** Build the graph from directed counts; counts for the same pair (either direction) are added. */
export function graphFromTraffic(n: number, traffic: readonly Traffic[]): CommGraph {
  const degree = new Int32Array(n + 1);
  for (const t of traffic) {
    if (t.from === t.to) continue;
    degree[t.from]!++;
    degree[t.to]!++;
  }
  // First pass: every traffic entry at both ends (with duplicates), then merge per row.
  const start = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) start[v + 1] = start[v]! + degree[v]!;
  const fill = start.slice(0, n);
  const rawAdj = new Int32Array(start[n]!);
  const rawM = new Float64Array(start[n]!);
  const rawB = new Float64Array(start[n]!);
  for (const t of traffic) {
    if (t.from === t.to) continue;
    for (const [x, y] of [
      [t.from, t.to],
      [t.to, t.from],
    ] as const) {
      const i = fill[x]!++;
      rawAdj[i] = y;
      rawM[i] = t.messages;
      rawB[i] = t.bytes;
    }
  }
  const xadj = new Int32Array(n + 1);
  const adj = new Int32Array(start[n]!);
  const messages = new Float64Array(start[n]!);
  const bytes = new Float64Array(start[n]!);
  const slot = new Int32Array(n).fill(-1);
  let e = 0;
  for (let v = 0; v < n; v++) {
    xadj[v] = e;
    for (let i = start[v]!; i < start[v + 1]!; i++) {
      const u = rawAdj[i]!;
      if (slot[u]! >= xadj[v]!) {
        messages[slot[u]!]! += rawM[i]!;
        bytes[slot[u]!]! += rawB[i]!;
      } else {
        slot[u] = e;
        adj[e] = u;
        messages[e] = rawM[i]!;
        bytes[e] = rawB[i]!;
        e++;
      }
    }
  }
  xadj[n] = e;
  return { n, xadj, adj: adj.slice(0, e), messages: messages.slice(0, e), bytes: bytes.slice(0, e) };
}
