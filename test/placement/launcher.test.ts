import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { launcherDisagreements, mapFromLauncher, vmsInOrder } from "../../src/placement/launcher.ts";
import { validateMap } from "../../src/placement/validate.ts";

describe("placement from a foreign launcher", () => {
  it("makes one VM per launched process with K consecutive ranks, grouped by node", () => {
    const map = mapFromLauncher(["n0", "n1", "n0"], 2, "vf");
    expect(map.hosts).toEqual([
      { name: "n0", vms: [{ name: "vm0", ranks: [0, 1] }, { name: "vm2", ranks: [4, 5] }] },
      { name: "n1", vms: [{ name: "vm1", ranks: [2, 3] }] },
    ]);
    validateMap(map, 6);
  });

  it("always gives a valid map that agrees with the launcher it came from", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), (hosts, k) => {
        const map = mapFromLauncher(hosts, k, "bridged");
        validateMap(map, hosts.length * k);
        // Reordered host by host, but each VM is still on its process's node.
        for (const v of vmsInOrder(map)) expect(hosts[Number(v.vm.slice(2))]).toBe(v.host);
      }),
    );
  });

  it("warns where a map groups VMs on hosts differently from the launcher", () => {
    const map = { transport: "vf", hosts: [{ name: "host0", vms: [{ name: "a", ranks: [0] }, { name: "b", ranks: [1] }] }, { name: "host1", vms: [{ name: "c", ranks: [2] }] }] };
    // Names differ but the grouping is the same: no warning.
    expect(launcherDisagreements(map, ["x", "x", "y"])).toEqual([]);
    const w = launcherDisagreements(map, ["x", "y", "y"]);
    expect(w).toContain("a: the map puts it on host0 with b (launcher: y), but the launcher started it on x");
    expect(w).toContain("b: the map puts it on host0, apart from c, but the launcher started them all on y");
  });

  it("refuses a map whose VMs are not one per launched process, and a bad K", () => {
    const map = mapFromLauncher(["n0", "n1"], 1, "vf");
    expect(() => launcherDisagreements(map, ["n0", "n1", "n2"])).toThrow(/ERR_PLACEMENT: the placement map has 2 VMs but the launcher started 3 processes/);
    expect(() => mapFromLauncher(["n0"], 0, "vf")).toThrow(/--ranks-per-process 0/);
  });
});
