import { describe, expect, it } from "vitest";
import { runOne } from "../../bench/suite/runner.ts";
import { applySweep, defaultSettings, expandMatrix } from "../../bench/suite/sweep.ts";

// The simulator runs every rank in this thread: real kernels and real osu.ts, in well under a second each.
const settings = applySweep(defaultSettings(), {
  engine: "sim",
  kernels: ["mg"],
  transports: ["shm", "vf", "nosuch"],
  np: [2],
  placements: ["1x2", "2x2"],
  p2p: { sizes: "8,1K", repeats: 1, scale: 0.01, only: ["latency", "bw"] },
});
const specs = expandMatrix(settings);
const spec = (id: string) => {
  const s = specs.find((x) => x.id === id);
  if (!s) throw new Error(`no run ${id} in ${specs.map((x) => x.id).join(", ")}`);
  return s;
};

describe("one run of the matrix", () => {
  it("runs a NAS kernel and keeps its RESULT, placement and pair matrix", async () => {
    const r = await runOne(spec("nas/mg/S/vf/1x2/np2"), settings);
    expect(r.status).toBe("ok");
    expect(r.nas).toMatchObject({ kernel: "MG", class: "S", np: 2, verified: true });
    expect(typeof r.nas!.values.rnm2).toBe("number");
    expect(r.placement.name).toBe("1x2");
    expect(r.placement.vms).toEqual(["vm0", "vm1"]);
    expect(r.placement.matrix).toEqual([
      ["self", "vf"],
      ["vf", "self"],
    ]);
  });

  it("runs the point-to-point benchmark and keeps rank 0's result", async () => {
    const r = await runOne(spec("p2p/shm/1x1/np2"), settings);
    expect(r.status).toBe("ok");
    expect(r.p2p!.latencyUs.map((x) => x.bytes)).toEqual([8, 1024]);
    expect(r.p2p!.bandwidthMBps.map((x) => x.bytes)).toEqual([8, 1024]);
    expect(r.p2p!.bibwMBps).toEqual([]);
    expect(r.p2p!.latencyUs[0]!.median).toBeGreaterThan(0);
  });

  it("reports a missing transport or an impossible placement as unavailable instead of throwing", async () => {
    const missing = await runOne(spec("nas/mg/S/nosuch/1x2/np2"), settings);
    expect(missing.status).toBe("unavailable");
    expect(missing.reason).toMatch(/unknown transport "nosuch"/);
    const tooSmall = await runOne(spec("nas/mg/S/vf/2x2/np2"), settings);
    expect(tooSmall.status).toBe("unavailable");
    expect(tooSmall.reason).toMatch(/every VM needs a rank/);
  });
});
