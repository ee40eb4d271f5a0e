/** Simulate to verify: placeChecked keeps the candidate with the lowest virtual time the simulator reports, and says why. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { candidateName, graphFromProfile, type Placed, placeChecked } from "../../../src/placement/mapper/index.ts";
import { BRIDGED } from "../../../src/placement/mapper/presets.ts";
import { pathCosts, problem } from "./arbitraries.ts";

describe("placeChecked with a simulator", () => {
  it("keeps the lowest virtual time whatever the model says, ties going to the earlier candidate", async () => {
    await fc.assert(
      fc.asyncProperty(problem, pathCosts, fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 4, maxLength: 4 }), async (pr, costs, times) => {
        const graph = graphFromProfile(pr.profile);
        const seen: string[] = [];
        const checked = await placeChecked({ strategy: "comm-aware", graph, machine: pr.machine, costs, transport: costs.transport }, async (c: Placed) => {
          seen.push(candidateName(c));
          return { virtualSeconds: times[seen.length - 1]! * 1e-3, utilisation: {} };
        });
        expect(seen).toEqual(["comm-aware (builtin)", "block", "cyclic", "random:1"]);
        const best = times.indexOf(Math.min(...times));
        expect(checked.kept).toBe(checked.candidates[best]);
        expect(checked.simulated!.map((s) => s.virtualSeconds)).toEqual(times.map((t) => t * 1e-3));
        expect(checked.reason).toBe(
          `lowest simulated virtual time (comm-aware (builtin) ${times[0]}.000 ms, block ${times[1]}.000 ms, cyclic ${times[2]}.000 ms, random:1 ${times[3]}.000 ms)`,
        );
      }),
      { numRuns: 40 },
    );
  });

  it("without a simulator keeps the lowest modelled estimate", async () => {
    await fc.assert(
      fc.asyncProperty(problem, async (pr) => {
        const checked = await placeChecked({ strategy: "comm-aware", profile: pr.profile, machine: pr.machine, costs: BRIDGED, transport: "bridged" });
        expect(checked.simulated).toBeUndefined();
        for (const c of checked.candidates) expect(checked.kept.evaluation!.estimate).toBeLessThanOrEqual(c.evaluation!.estimate);
        expect(checked.reason).toMatch(/^lowest modelled estimate \(comm-aware \(builtin\) [\d.]+ ms, block/);
      }),
      { numRuns: 30 },
    );
  });
});
