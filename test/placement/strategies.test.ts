import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MpiError } from "../../src/errors.ts";
import { formatMap, generateMap, parseMapBy, ResolvedPlacement, validateMap } from "../../src/placement/index.ts";

const layout = fc
  .record({ hosts: fc.integer({ min: 1, max: 5 }), vmsPerHost: fc.integer({ min: 1, max: 4 }), extra: fc.integer({ min: 0, max: 30 }) })
  .map((l) => ({ ...l, np: l.hosts * l.vmsPerHost + l.extra }));
const mapBy = fc.oneof(
  fc.constant("block"),
  fc.constant("cyclic"),
  fc.integer({ min: 0, max: 1000 }).map((s) => `random:${s}`),
);

describe("strategies", () => {
  it("place every rank exactly once, in H hosts x V non-empty VMs, whatever the strategy (property)", () => {
    fc.assert(
      fc.property(layout, mapBy, ({ hosts, vmsPerHost, np }, by) => {
        const map = generateMap({ np, hosts, vmsPerHost, mapBy: parseMapBy(by), transport: "bridged" });
        validateMap(map, np);
        const all = map.hosts.flatMap((h) => h.vms.flatMap((v) => v.ranks)).sort((a, b) => a - b);
        expect(all).toEqual([...Array(np).keys()]);
        expect(map.hosts).toHaveLength(hosts);
        for (const h of map.hosts) expect(h.vms).toHaveLength(vmsPerHost);
        // Balanced: VM sizes differ by at most one.
        const sizes = map.hosts.flatMap((h) => h.vms.map((v) => v.ranks.length));
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("block keeps consecutive ranks together; cyclic spreads neighbours across hosts", () => {
    const block = generateMap({ np: 8, hosts: 2, vmsPerHost: 2, mapBy: parseMapBy("block"), transport: "vf" });
    expect(block.hosts.map((h) => h.vms.map((v) => v.ranks))).toEqual([
      [
        [0, 1],
        [2, 3],
      ],
      [
        [4, 5],
        [6, 7],
      ],
    ]);
    const cyclic = generateMap({ np: 8, hosts: 2, vmsPerHost: 2, mapBy: parseMapBy("cyclic"), transport: "vf" });
    const t = ResolvedPlacement.fromMap(cyclic, 8).table;
    for (let r = 0; r < 7; r++) expect(t.hosts[r]).not.toBe(t.hosts[r + 1]);
  });

  it("random:seed is deterministic and the seed matters", () => {
    const a = generateMap({ np: 16, hosts: 2, vmsPerHost: 2, mapBy: parseMapBy("random:7"), transport: "vf" });
    const b = generateMap({ np: 16, hosts: 2, vmsPerHost: 2, mapBy: parseMapBy("random:7"), transport: "vf" });
    const c = generateMap({ np: 16, hosts: 2, vmsPerHost: 2, mapBy: parseMapBy("random:8"), transport: "vf" });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("refuses more VMs than ranks and bad --map-by values", () => {
    expect(() => generateMap({ np: 3, hosts: 2, vmsPerHost: 2, mapBy: { kind: "block" }, transport: "vf" })).toThrow(/makes 4 VMs but -n 3 fills only 3/);
    expect(() => parseMapBy("diagonal")).toThrow(MpiError);
  });
});

describe("table and printing", () => {
  it("uses shm inside a VM, the map's transport across, and overrides (later wins)", () => {
    const map = {
      ...generateMap({ np: 6, hosts: 3, vmsPerHost: 1, mapBy: parseMapBy("block"), transport: "bridged" }),
      overrides: [
        { vms: ["vm0", "vm2"] as [string, string], transport: "vf" },
        { ranks: [0, 4] as [number, number], transport: "slurpoe" },
      ],
    };
    const m = ResolvedPlacement.fromMap(map, 6).matrix();
    expect(m[0]![1]).toBe("shm");
    expect(m[0]![2]).toBe("bridged");
    expect(m[1]![5]).toBe("vf");
    expect(m[5]![1]).toBe("vf");
    expect(m[0]![4]).toBe("slurpoe");
    expect(m[4]![0]).toBe("slurpoe");
    expect(m[3]![3]).toBe("self");
  });

  it("prints the host/VM grid and the matrix", () => {
    const t = ResolvedPlacement.fromMap(generateMap({ np: 4, hosts: 2, vmsPerHost: 1, mapBy: parseMapBy("block"), transport: "vf" }), 4).table;
    const text = formatMap(t);
    expect(text).toContain("host0\n    vm0      ranks 0 1\n  host1\n    vm1      ranks 2 3");
    expect(text).toContain("\n    0    . shm  vf  vf\n");
    expect(text).toContain("pairs: shm 4, vf 8");
  });
});
