import { describe, expect, it } from "vitest";
import { type CostModel, type DescribePath, loneFrameSeconds } from "../../../src/transport/cost.ts";
import { levelCoefficients } from "../../../src/placement/mapper/costs.ts";
import { pathCostsFromModel } from "../../../src/placement/mapper/from-model.ts";
import { loadModel } from "../../../src/model/load.ts";
import { describePath as bridged } from "../../../transports/bridged/path.ts";
import { describePath as shm } from "../../../transports/shm/path.ts";
import { describePath as slurpoe } from "../../../transports/slurpoe/path.ts";

const cost = (name: string): CostModel => {
  const m = loadModel(name);
  if (m.kind !== "stages") throw new Error("a stage model");
  return m.cost;
};

const pairs = {
  sameVm: { src: { rank: 0, vm: "vm0", host: "host0" }, dst: { rank: 1, vm: "vm0", host: "host0" } },
  sameHost: { src: { rank: 0, vm: "vm0", host: "host0" }, dst: { rank: 1, vm: "vm1", host: "host0" } },
  otherHost: { src: { rank: 0, vm: "vm0", host: "host0" }, dst: { rank: 1, vm: "vm2", host: "host1" } },
};

describe("path costs from the model", () => {
  it.each([
    ["bridged", "xen-bridged", bridged],
    ["slurpoe", "inic-slurpoe", slurpoe],
  ] as [string, string, DescribePath][])("price a lone message at each level as the %s path's stages do (%s)", (transport, preset, inter) => {
    const model = cost(preset);
    const c = pathCostsFromModel(transport, model, shm, inter);
    const coef = levelCoefficients(c);
    for (const [i, l] of (["sameVm", "sameHost", "otherHost"] as const).entries()) {
      const stages = (l === "sameVm" ? shm : inter)(pairs[l], model);
      for (const bytes of [8, 4096]) {
        // A lone frame, uncontended: the stage sum (batching spreads a doorbell over `every` frames, as the mapper's average does).
        const batched = stages.reduce((s, st) => s + (st.every ? st.perFrame - st.perFrame / st.every : 0), 0);
        expect(coef[i]!.perMessage + coef[i]!.perByte * bytes).toBeCloseTo(loneFrameSeconds(stages, bytes) - batched, 12);
      }
      // What the level pays beyond its shared resources is never negative (a pair on one host crosses
      // its dom0 twice, pairs on two hosts each dom0 once: the cost per instance is the lesser).
      expect(c[l].perMessage).toBeGreaterThanOrEqual(0);
      expect(c[l].perByte).toBeGreaterThanOrEqual(0);
    }
  });

  it("makes the dom0 bridge a host-wide shared resource for bridged, and the NIC processor a per-VM one for slurpoe", () => {
    const b = pathCostsFromModel("bridged", cost("xen-bridged"), shm, bridged);
    expect(b.shared.map((r) => [r.name, r.scope, [...r.crossedBy].sort()])).toEqual([["bridge", "host", ["otherHost", "sameHost"]]]);
    const s = pathCostsFromModel("slurpoe", cost("inic-slurpoe"), shm, slurpoe);
    expect(s.shared.find((r) => r.name === "nic")?.scope).toBe("vm");
  });
});
