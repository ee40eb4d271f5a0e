/**
 * Issue 13's must-show placements, with both mappers: 8 heavy groups of 8
 * scrambled ranks on 2 hosts × 4 VMs × 8 slots, and an 8×8 periodic stencil
 * scrambled on 4 × 4 × 4. `--mapper scotch` needs scotch_gmap: without it
 * these tests fail (they never skip).
 */
import { describe, expect, it } from "vitest";
import { BRIDGED, SLURPOE, VF } from "../../../src/placement/mapper/presets.ts";
import { groupsTraffic, profileOf, stencilTraffic } from "../../../bench/placement/synthetic.ts";
import { type MapperName, place } from "../../../src/placement/mapper/index.ts";
import { validateMap } from "../../../src/placement/validate.ts";

const GROUPS = { hosts: 2, vmsPerHost: 4, slots: 8 };
const STENCIL = { hosts: 4, vmsPerHost: 4, slots: 4 };
const mappers: MapperName[] = ["builtin", "scotch"];

describe.each(mappers)("comm-aware placement with --mapper %s", (mapper) => {
  it.each([BRIDGED, VF, SLURPOE])("keeps >= 95 % of the bytes of 8 scrambled heavy groups inside VMs ($transport)", async (costs) => {
    for (const seed of [1, 2, 3]) {
      const profile = profileOf(64, groupsTraffic(8, 8, seed));
      const aware = await place({ strategy: "comm-aware", profile, machine: GROUPS, costs, transport: costs.transport, mapper });
      validateMap(aware.map, 64);
      expect(aware.evaluation!.bytesInsideVms).toBeGreaterThanOrEqual(0.95);
      for (const strategy of ["block", "cyclic"]) {
        const plain = await place({ strategy, profile, machine: GROUPS, costs, transport: costs.transport });
        // 7 of a rank's 63 peers share its VM by chance: about 11 %.
        expect(plain.evaluation!.bytesInsideVms).toBeLessThan(0.2);
        expect(aware.evaluation!.estimate).toBeLessThan(plain.evaluation!.estimate);
      }
    }
  });

  it("keeps >= 48 % of an 8×8 scrambled periodic stencil's bytes inside VMs and >= 70 % inside hosts", async () => {
    for (const seed of [1, 2, 3]) {
      const profile = profileOf(64, stencilTraffic([8, 8], seed));
      const aware = await place({ strategy: "comm-aware", profile, machine: STENCIL, costs: BRIDGED, transport: "bridged", mapper });
      validateMap(aware.map, 64);
      expect(aware.map.hosts.flatMap((h) => h.vms.map((v) => v.ranks.length))).toEqual(new Array(16).fill(4));
      expect(aware.evaluation!.bytesInsideVms).toBeGreaterThanOrEqual(0.48);
      expect(aware.evaluation!.bytesInsideHosts).toBeGreaterThanOrEqual(0.7);
    }
  });
});
