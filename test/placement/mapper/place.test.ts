import { describe, expect, it } from "vitest";
import { BRIDGED } from "../../../src/placement/mapper/presets.ts";
import { profileOf, stencilTraffic } from "../../../bench/placement/synthetic.ts";
import { MpiError } from "../../../src/errors.ts";
import { graphFromProfile } from "../../../src/placement/mapper/graph.ts";
import { assignmentFromMap, mapFromAssignment, place, scotchMap, vmSizes } from "../../../src/placement/mapper/index.ts";
import { generateMap, parseMapBy } from "../../../src/placement/strategies.ts";
import { validateMap } from "../../../src/placement/validate.ts";

async function rejects(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MpiError);
    expect((e as MpiError).code).toBe("ERR_PLACEMENT");
    return (e as Error).message;
  }
  throw new Error("expected an MpiError");
}

describe("placement by strategy", () => {
  const machine = { hosts: 2, vmsPerHost: 2, slots: 3 };

  it("block, cyclic and random give the generators' maps", async () => {
    for (const strategy of ["block", "cyclic", "random:9"]) {
      const placed = await place({ strategy, np: 10, machine, transport: "vf" });
      expect(placed.map).toEqual(generateMap({ np: 10, hosts: 2, vmsPerHost: 2, mapBy: parseMapBy(strategy), transport: "vf" }));
      expect(placed.evaluation).toBeUndefined();
    }
  });

  it("a VM assignment and its map convert both ways, with VMs of the sizes vmSizes gives", async () => {
    const profile = profileOf(10, stencilTraffic([10], 4));
    const placed = await place({ strategy: "comm-aware", profile, machine, costs: BRIDGED, transport: "bridged" });
    validateMap(placed.map, 10);
    expect(assignmentFromMap(placed.map, 10)).toEqual(placed.vmOf);
    expect(mapFromAssignment(placed.vmOf, machine, "bridged")).toEqual(placed.map);
    expect(placed.map.hosts.flatMap((h) => h.vms.map((v) => v.ranks.length))).toEqual(vmSizes(10, machine));
    expect(placed.how).toEqual({ strategy: "comm-aware", mapper: "builtin" });
  });

  it("is repeatable: the same profile and seed give the same map", async () => {
    const profile = profileOf(48, stencilTraffic([6, 8], 2));
    const m = { hosts: 3, vmsPerHost: 2, slots: 8 };
    const a = await place({ strategy: "comm-aware", profile, machine: m, costs: BRIDGED, transport: "bridged", seed: 5 });
    const b = await place({ strategy: "comm-aware", profile, machine: m, costs: BRIDGED, transport: "bridged", seed: 5 });
    expect(a.map).toEqual(b.map);
  });

  it("says what is missing or wrong", async () => {
    expect(await rejects(place({ strategy: "comm-aware", np: 8, machine, transport: "vf" }))).toMatch(/needs a communication profile \(--comm FILE/);
    expect(await rejects(place({ strategy: "snake", np: 8, machine, transport: "vf" }))).toMatch(
      /--strategy snake: use block, cyclic, random\[:seed\] or comm-aware/,
    );
    expect(await rejects(place({ strategy: "block", np: 13, machine, transport: "vf" }))).toMatch(
      /-n 13 does not fit 2 host\(s\) × 2 VM\(s\) × 3 slot\(s\) = 12 slots/,
    );
    expect(await rejects(place({ strategy: "block", np: 3, machine, transport: "vf" }))).toMatch(/every VM needs a rank/);
    expect(await rejects(place({ strategy: "block", np: 3, machine: { ...machine, slots: 0 }, transport: "vf" }))).toMatch(
      /--slots must be a positive integer/,
    );
  });

  it("names scotch_gmap and the way out when it is not installed", async () => {
    const g = graphFromProfile(profileOf(8, stencilTraffic([8], 1)));
    const msg = await rejects(scotchMap(g, { hosts: 2, vmsPerHost: 2, slots: 2 }, BRIDGED, "scotch_gmap-not-installed"));
    expect(msg).toMatch(
      /--mapper scotch needs scotch_gmap-not-installed, which is not installed; install Debian's "scotch" package .* or use --mapper builtin/,
    );
  });

  it("repairs Scotch's slot imbalance so every VM holds exactly its size", async () => {
    // 12 ranks on 2 × 2 × 4 = 16 slots: Scotch may fill a VM with 4 where vmSizes wants 3.
    const g = graphFromProfile(profileOf(12, stencilTraffic([12], 3)));
    const m = { hosts: 2, vmsPerHost: 2, slots: 4 };
    const r = await scotchMap(g, m, BRIDGED);
    const count = [0, 0, 0, 0];
    for (const v of r.vmOf) count[v]!++;
    expect(count).toEqual(vmSizes(12, m));
    expect(r.log).toMatch(/CommDilat/);
  });
});
