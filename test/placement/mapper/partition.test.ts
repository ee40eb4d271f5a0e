import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bisect, cutOf } from "../../../src/placement/mapper/bisect.ts";
import { type Traffic, graphFromTraffic } from "../../../src/placement/mapper/graph.ts";
import { partitionExact } from "../../../src/placement/mapper/partition.ts";
import { weigh } from "../../../src/placement/mapper/weighted.ts";
import { seededRandom } from "../../../src/placement/strategies.ts";
import { problem } from "./arbitraries.ts";
import { graphFromProfile } from "../../../src/placement/mapper/graph.ts";

const byBytes = (_m: number, b: number): number => b;

describe("recursive multilevel bisection", () => {
  it("gives every part exactly its size, whatever the graph (property)", () => {
    const input = problem.chain((pr) => fc.record({ pr: fc.constant(pr), cuts: fc.array(fc.nat(pr.np), { minLength: 0, maxLength: 5 }), seed: fc.nat() }));
    fc.assert(
      fc.property(input, ({ pr, cuts, seed }) => {
        const bounds = [0, ...cuts.sort((a, b) => a - b), pr.np];
        const sizes = bounds.slice(1).map((b, i) => b - bounds[i]!);
        const part = partitionExact(weigh(graphFromProfile(pr.profile), byBytes), sizes, seededRandom(seed));
        const count = new Array<number>(sizes.length).fill(0);
        for (const p of part) count[p]!++;
        expect(count).toEqual(sizes);
      }),
      { numRuns: 150 },
    );
  });

  it("finds the one light edge between two heavy cliques, from any seed (the optimum, by construction)", () => {
    const traffic: Traffic[] = [];
    const perm = [5, 12, 0, 9, 3, 14, 7, 1, 10, 6, 15, 2, 8, 13, 4, 11];
    for (let a = 0; a < 16; a++)
      for (let b = a + 1; b < 16; b++) if (Math.floor(a / 8) === Math.floor(b / 8)) traffic.push({ from: perm[a]!, to: perm[b]!, messages: 1, bytes: 1000 });
    traffic.push({ from: perm[3]!, to: perm[12]!, messages: 1, bytes: 1 });
    const g = weigh(graphFromTraffic(16, traffic), byBytes);
    for (let seed = 0; seed < 20; seed++) {
      const side = bisect(g, 8, seededRandom(seed));
      expect(cutOf(g, side)).toBe(1);
    }
  });

  it("cuts a periodic 16×16 grid into two halves with the least cut of a straight split (32 edges)", () => {
    const traffic: Traffic[] = [];
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++) {
        traffic.push({ from: y * 16 + x, to: y * 16 + ((x + 1) % 16), messages: 1, bytes: 1 });
        traffic.push({ from: y * 16 + x, to: ((y + 1) % 16) * 16 + x, messages: 1, bytes: 1 });
      }
    const g = weigh(graphFromTraffic(256, traffic), byBytes);
    const cuts = Array.from({ length: 5 }, (_, seed) => cutOf(g, bisect(g, 128, seededRandom(seed))));
    // 32 is optimal for a balanced cut of the 16×16 torus; multilevel FM should reach it from most seeds.
    expect(Math.min(...cuts)).toBe(32);
    for (const c of cuts) expect(c).toBeLessThanOrEqual(40);
  });
});
