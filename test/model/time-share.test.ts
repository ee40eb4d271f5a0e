// Ranks time-sharing the machine's cores (src/model/time-share.ts): a model
// with `machine.cores` charges a job of more ranks than cores np/cores times
// the CPU work per frame and per compute burst; a model without it nothing extra.
import { describe, expect, it } from "vitest";
import type { Comm } from "../../src/api/comm.ts";
import { runSim } from "../../src/engine/sim/run-sim.ts";
import { halfRoundTrip } from "../../src/launcher/validate.ts";
import { loadModel, type Model, stagesModel } from "../../src/model/load.ts";
import { timeShared, timeShareFactor } from "../../src/model/time-share.ts";
import { ResolvedPlacement } from "../../src/placement/resolved.ts";
import { costModel, type Stage } from "../../src/transport/cost.ts";

function preset(overrides: Record<string, number> = {}): Model {
  const m = loadModel("sriov-posted");
  if (m.kind !== "stages") throw new Error("sriov-posted is a stage model");
  return stagesModel(m.preset, overrides);
}

describe("time-sharing the machine's cores", () => {
  it("is np/cores when the ranks outnumber the cores, else 1, and 1 without the number", () => {
    const two = costModel("m", { "machine.cores": 2 });
    expect(timeShareFactor(two, 4)).toBe(2);
    expect(timeShareFactor(two, 8)).toBe(4);
    expect(timeShareFactor(two, 2)).toBe(1);
    expect(timeShareFactor(two, 1)).toBe(1);
    expect(timeShareFactor(costModel("m", {}), 64)).toBe(1);
  });

  it("scales the ranks' CPU stages only", () => {
    const stages: Stage[] = [
      { resource: "cpu@rank0", what: "send", perFrame: 1, perByte: 2 },
      { resource: "membw@vm0", what: "copy", perFrame: 3, perByte: 4, latency: 5 },
    ];
    const shared = timeShared(stages, 3);
    expect(shared[0]).toMatchObject({ perFrame: 3, perByte: 6 });
    expect(shared[1]).toEqual(stages[1]);
    expect(timeShared(stages, 1)).toBe(stages);
  });

  it("makes the simulated ping-pong pay its CPU stages np/cores times", async () => {
    const together = ResolvedPlacement.singleVm(2, "memory");
    const alone = await halfRoundTrip(together, preset(), 8);
    const oneCore = await halfRoundTrip(together, preset({ "machine.cores": 1 }), 8);
    const m = preset();
    const cpu = m.kind === "stages" ? m.cost.value("cpu.send") + m.cost.value("cpu.receive") : 0;
    // Two ranks on one core: each frame's send and receive CPU twice over, nothing else changes.
    expect(oneCore - alone).toBeCloseTo(cpu, 12);
  });

  it("charges each compute burst np/cores times", async () => {
    let ms = 0;
    const burst = async (model: Model): Promise<number> => {
      const results = await runSim({
        np: 4,
        placement: ResolvedPlacement.singleVm(4, "memory"),
        model,
        computeScale: 1,
        computeClock: () => ms,
        main: (async (w: Comm) => {
          const t0 = w.wtime();
          ms += 20; // 20 ms of "compute" on the burst clock
          return w.wtime() - t0;
        }) as never,
      });
      return results[0]!.value as number;
    };
    expect(await burst(preset())).toBeCloseTo(0.02, 12);
    expect(await burst(preset({ "machine.cores": 2 }))).toBeCloseTo(0.04, 12);
  });
});
