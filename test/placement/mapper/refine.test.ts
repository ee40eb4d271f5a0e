import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SLURPOE } from "../../../src/placement/mapper/presets.ts";
import { groupsTraffic } from "../../../bench/placement/synthetic.ts";
import { evaluate } from "../../../src/placement/mapper/evaluate.ts";
import { graphFromProfile, graphFromTraffic } from "../../../src/placement/mapper/graph.ts";
import { vmSizes } from "../../../src/placement/mapper/machine.ts";
import { refineSwaps } from "../../../src/placement/mapper/refine.ts";
import { seededRandom } from "../../../src/placement/strategies.ts";
import { pathCosts, problem } from "./arbitraries.ts";

const blockAssignment = (sizes: number[]): Int32Array => Int32Array.from(sizes.flatMap((s, v) => new Array<number>(s).fill(v)));

describe("k-way swap refinement", () => {
  it("never raises the estimate and keeps every VM's size (property)", () => {
    fc.assert(
      fc.property(problem, pathCosts, fc.nat(), ({ machine, np, profile }, costs, seed) => {
        costs.shared = costs.shared.filter((r, i) => costs.shared.findIndex((s) => s.name === r.name) === i);
        const g = graphFromProfile(profile);
        const sizes = vmSizes(np, machine);
        const vmOf = blockAssignment(sizes);
        const before = evaluate(g, vmOf, machine, costs).estimate;
        refineSwaps(g, vmOf, machine, costs, seededRandom(seed));
        expect(evaluate(g, vmOf, machine, costs).estimate).toBeLessThanOrEqual(before * (1 + 1e-12) + 1e-300);
        const count = new Array<number>(sizes.length).fill(0);
        for (const v of vmOf) count[v]!++;
        expect(count).toEqual(sizes);
      }),
      { numRuns: 150 },
    );
  });

  it("lowers both the path cost and the busiest NIC's load from a poor start", () => {
    const g = graphFromTraffic(64, groupsTraffic(8, 8, 4));
    const m = { hosts: 2, vmsPerHost: 4, slots: 8 };
    const vmOf = blockAssignment(vmSizes(64, m));
    const before = evaluate(g, vmOf, m, SLURPOE);
    refineSwaps(g, vmOf, m, SLURPOE, seededRandom(1));
    const after = evaluate(g, vmOf, m, SLURPOE);
    expect(after.pairSeconds).toBeLessThan(before.pairSeconds);
    expect(after.busiest!.seconds).toBeLessThan(before.busiest!.seconds);
    expect(after.bytesInsideVms).toBeGreaterThan(before.bytesInsideVms);
  });
});
