/**
 * Synthetic communication profiles for the mapper's tests and benchmark:
 * heavy groups, periodic stencils in 2-D and 3-D, each with its rank numbers
 * scrambled by a seeded shuffle so that block and cyclic placement cannot
 * profit from the numbering.
 */
import type { Traffic } from "../../src/placement/mapper/graph.ts";
import { type CommProfile, emptyProfile } from "../../src/placement/profile.ts";
import { seededRandom, shuffle } from "../../src/placement/strategies.ts";

/** A seeded permutation of 0..n-1: logical rank i runs as rank perm[i]. */
export function scramble(n: number, seed: number): number[] {
  return shuffle(
    Array.from({ length: n }, (_, i) => i),
    seededRandom(seed),
  );
}

/**
 * `groups` groups of `size` ranks: every pair in a group exchanges `heavy`
 * bytes (in 100 messages); every pair across groups `light` bytes (in one).
 */
export function groupsTraffic(groups: number, size: number, seed: number, heavy = 1 << 20, light = 64): Traffic[] {
  const n = groups * size;
  const perm = scramble(n, seed);
  const out: Traffic[] = [];
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      if (a === b) continue;
      const same = Math.floor(a / size) === Math.floor(b / size);
      if (same) out.push({ from: perm[a]!, to: perm[b]!, messages: 100, bytes: heavy });
      else if (light > 0) out.push({ from: perm[a]!, to: perm[b]!, messages: 1, bytes: light });
    }
  return out;
}

/** A periodic stencil on a grid of `dims`: each rank sends `bytes` (in 10 messages) to each of its 2·d neighbours. */
export function stencilTraffic(dims: readonly number[], seed: number, bytes = 8 << 10): Traffic[] {
  const n = dims.reduce((p, d) => p * d, 1);
  const perm = scramble(n, seed);
  const out: Traffic[] = [];
  const coords = (r: number): number[] => {
    const c: number[] = [];
    for (let i = dims.length - 1; i >= 0; i--) {
      c[i] = r % dims[i]!;
      r = Math.floor(r / dims[i]!);
    }
    return c;
  };
  const rankOf = (c: number[]): number => c.reduce((r, x, i) => r * dims[i]! + x, 0);
  for (let r = 0; r < n; r++) {
    const c = coords(r);
    for (let d = 0; d < dims.length; d++)
      for (const step of [-1, 1]) {
        const nc = c.slice();
        nc[d] = (nc[d]! + step + dims[d]!) % dims[d]!;
        const to = rankOf(nc);
        if (to !== r) out.push({ from: perm[r]!, to: perm[to]!, messages: 10, bytes });
      }
  }
  return out;
}

/** The dense N×N profile of some traffic (what tsmpi profile writes). */
export function profileOf(n: number, traffic: readonly Traffic[]): CommProfile {
  const p = emptyProfile(n);
  for (const t of traffic) {
    p.messages[t.from]![t.to]! += t.messages;
    p.bytes[t.from]![t.to]! += t.bytes;
  }
  return p;
}
