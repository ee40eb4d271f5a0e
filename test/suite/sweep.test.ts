import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { settingsFromArgs } from "../../bench/suite/cli.ts";
import { effectivePlacement, p2pPlacement, placementMap } from "../../bench/suite/placements.ts";
import { applySweep, defaultSettings, expandMatrix, runTimeout } from "../../bench/suite/sweep.ts";

describe("matrix expansion", () => {
  it("the default study: 5 NAS kernels × 4 transports on 2x2 with 4 ranks, then point-to-point per transport", () => {
    const runs = expandMatrix(defaultSettings());
    const nas = runs.filter((r) => r.suite === "nas");
    const p2p = runs.filter((r) => r.suite === "p2p");
    expect(nas).toHaveLength(20);
    expect(p2p).toHaveLength(4);
    expect(runs.filter((r) => r.suite === "coll")).toHaveLength(0);
    expect(new Set(nas.map((r) => r.kernel))).toEqual(new Set(["ep", "is", "cg", "mg", "ft"]));
    for (const r of nas) {
      expect(r.np).toBe(4);
      expect(r.args).toEqual(["--class", "S"]);
      expect(r.placement).toBe(r.transport === "shm" ? "1x1" : "2x2");
      expect(existsSync(r.program)).toBe(true);
    }
    expect(p2p.map((r) => `${r.transport} ${r.placement} ${r.np}`)).toEqual(["shm 1x1 2", "bridged 2x1 2", "vf 2x1 2", "slurpoe 2x1 2"]);
    expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
  });

  it("runs shm once whatever the placements, since shm means one VM", () => {
    const s = applySweep(defaultSettings(), { suites: ["nas"], kernels: ["ep"], transports: ["shm", "vf"], placements: ["2x2", "2x2:cyclic", "1x4"] });
    const runs = expandMatrix(s);
    expect(runs.map((r) => `${r.transport} ${r.placement}`)).toEqual(["shm 1x1", "vf 2x2", "vf 2x2:cyclic", "vf 1x4"]);
  });

  it("has one run per kernel × class × np × distinct placement (property)", () => {
    const arb = fc.record({
      kernels: fc.subarray(["ep", "is", "cg", "mg", "ft"], { minLength: 1 }),
      classes: fc.subarray(["S", "W", "A"], { minLength: 1 }),
      np: fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 3 }),
      transports: fc.subarray(["shm", "bridged", "vf", "slurpoe"], { minLength: 1 }),
      placements: fc.subarray(["2x2", "2x2:cyclic", "1x2", "2x1"], { minLength: 1 }),
    });
    fc.assert(
      fc.property(arb, (x) => {
        const runs = expandMatrix(applySweep(defaultSettings(), { ...x, suites: ["nas"] }));
        const placementsPerTransport = x.transports.reduce((n, t) => n + (t === "shm" ? 1 : x.placements.length), 0);
        expect(runs).toHaveLength(x.kernels.length * x.classes.length * x.np.length * placementsPerTransport);
      }),
    );
  });

  it("names placements, and builds maps a job can use", () => {
    expect(effectivePlacement("vf", "2x2:block")).toBe("2x2");
    expect(effectivePlacement("shm", "2x2")).toBe("1x1");
    expect(p2pPlacement("bridged", "2x2")).toBe("2x1");
    expect(p2pPlacement("vf", "1x4")).toBe("1x2");
    const map = placementMap("bridged", "2x2:cyclic", 4)!;
    expect(map.transport).toBe("bridged");
    expect(map.hosts.map((h) => h.vms.map((v) => v.ranks))).toEqual([
      [[0], [2]],
      [[1], [3]],
    ]);
    expect(placementMap("shm", "2x2", 4)).toBeUndefined();
    expect(() => placementMap("vf", "2x2", 2)).toThrow(/every VM needs a rank/);
  });

  it("rejects sweep files it cannot honour, naming the field", () => {
    expect(() => applySweep(defaultSettings(), { transport: ["vf"] })).toThrow(/unknown field "transport"/);
    expect(() => applySweep(defaultSettings(), { kernels: ["lu2"] })).toThrow(/unknown NAS kernel "lu2"/);
    expect(() => applySweep(defaultSettings(), { placements: ["two-by-two"] })).toThrow(/HOSTSxVMS/);
    expect(() => applySweep(defaultSettings(), { classes: ["Z"] })).toThrow(/unknown NAS class/);
    expect(() => applySweep(defaultSettings(), [1, 2])).toThrow(/one JSON object/);
  });

  it("reads flags and a sweep file; the file wins where it speaks", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsmpi-sweep-"));
    const file = join(dir, "sweep.json");
    writeFileSync(file, JSON.stringify({ classes: "s,w", np: 2, p2p: { sizes: "8,64K" }, settings: { "nic.profile": "fast" } }));
    const { settings } = settingsFromArgs(["nas", "--transports", "shm,vf", "--kernels", "CG", "--np", "4", "--sweep", file, "--out", dir]);
    expect(settings.suites).toEqual(["nas"]);
    expect(settings.transports).toEqual(["shm", "vf"]);
    expect(settings.kernels).toEqual(["cg"]);
    expect(settings.classes).toEqual(["S", "W"]);
    expect(settings.np).toEqual([2]);
    expect(settings.p2p.sizes).toBe("8,64K");
    expect(settings.p2p.repeats).toBe(defaultSettings().p2p.repeats);
    expect(settings.settings).toEqual({ "nic.profile": "fast" });
    expect(settings.out).toBe(dir);
    expect(expandMatrix(settings).map((r) => r.id)).toEqual(["nas/cg/S/shm/1x1/np2", "nas/cg/W/shm/1x1/np2", "nas/cg/S/vf/2x2/np2", "nas/cg/W/vf/2x2/np2"]);
    expect(settingsFromArgs(["all"]).settings.suites).toEqual(["p2p", "coll", "nas"]);
    expect(() => settingsFromArgs(["everything"])).toThrow(/p2p, coll, nas, all/);
  });

  it("gives larger NAS classes longer before a run is stopped", () => {
    const s = applySweep(defaultSettings(), { timeoutSeconds: 10 });
    expect(runTimeout({ suite: "nas", class: "S" }, s)).toBe(10);
    expect(runTimeout({ suite: "nas", class: "W" }, s)).toBe(40);
    expect(runTimeout({ suite: "nas", class: "A" }, s)).toBeGreaterThan(runTimeout({ suite: "nas", class: "W" }, s));
    expect(runTimeout({ suite: "p2p" }, s)).toBe(10);
    expect(() => applySweep(defaultSettings(), { timeoutSeconds: 0 })).toThrow(/timeoutSeconds/);
  });
});
