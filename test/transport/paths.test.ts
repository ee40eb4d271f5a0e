import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/model/load.ts";
import { type CostModel, loneFrameSeconds, type Pair } from "../../src/transport/cost.ts";
import { describePath as bridged } from "../../transports/bridged/path.ts";
import { describePath as shm } from "../../transports/shm/path.ts";
import { describePath as slurpoe } from "../../transports/slurpoe/path.ts";
import { describePath as vf } from "../../transports/vf/path.ts";

const cost = (name: string, overrides: Record<string, number> = {}): CostModel => {
  const m = loadModel(name, overrides);
  if (m.kind !== "stages") throw new Error("not a stage model");
  return m.cost;
};
const apart: Pair = { src: { rank: 0, vm: "vm0", host: "h0" }, dst: { rank: 1, vm: "vm1", host: "h1" } };
const neighbours: Pair = { src: { rank: 0, vm: "vm0", host: "h0" }, dst: { rank: 1, vm: "vm1", host: "h0" } };
const together: Pair = { src: { rank: 0, vm: "vm0", host: "h0" }, dst: { rank: 1, vm: "vm0", host: "h0" } };
/** An 8-byte message: the payload plus the core's 40-byte header. */
const SMALL = 48;

describe("path descriptions", () => {
  it("bridged crosses both hosts' dom0 bridges and the wire; co-located VMs cross one bridge twice", () => {
    const names = bridged(apart, cost("xen-bridged")).map((s) => s.resource);
    expect(names).toEqual(["cpu@rank0", "cpu@rank0", "bridge@h0", "link@h0.tx", "link@h1.rx", "bridge@h1", "cpu@rank1", "cpu@rank1"]);
    const local = bridged(neighbours, cost("xen-bridged")).map((s) => s.resource);
    expect(local.filter((r) => r === "bridge@h0")).toHaveLength(2);
    expect(local.some((r) => r.startsWith("link@"))).toBe(false);
  });

  it("the presets put bridged near 22 us one way and SR-IOV near 6.5 (Xen2MX: 44 and 13 us RTT)", () => {
    const b = loneFrameSeconds(bridged(apart, cost("xen-bridged")), SMALL);
    const v = loneFrameSeconds(vf(apart, cost("sriov")), SMALL);
    expect(b).toBeGreaterThan(20e-6);
    expect(b).toBeLessThan(24e-6);
    expect(v).toBeGreaterThan(5.5e-6);
    expect(v).toBeLessThan(7.5e-6);
    expect(b / v).toBeGreaterThan(3.38 * 0.85);
    expect(b / v).toBeLessThan(3.38 * 1.15);
  });

  it("posted interrupts remove the VM exit from the VF path: 1.3-1.6x faster (ELI)", () => {
    const exits = vf(apart, cost("sriov"));
    const posted = vf(apart, cost("sriov-posted"));
    expect(exits.find((s) => s.resource === "irq@vm1")!.what).toMatch(/VM exit/);
    const ratio = loneFrameSeconds(exits, SMALL) / loneFrameSeconds(posted, SMALL);
    expect(ratio).toBeGreaterThan(1.3);
    expect(ratio).toBeLessThan(1.6);
  });

  it("shm copies twice on the VM's memory bandwidth", () => {
    const stages = shm(together, cost("sriov"));
    expect(stages.filter((s) => s.resource === "membw@vm0")).toHaveLength(2);
  });

  it("slurpoe: doorbell, descriptor fetch per batch, NIC processors at both ends, coalesced interrupt", () => {
    const stages = slurpoe(apart, cost("inic-slurpoe"));
    const names = stages.map((s) => s.resource);
    expect(names).toContain("doorbell@vm0");
    expect(names).toContain("nic@vm0");
    expect(names).toContain("nic@vm1");
    expect(stages.find((s) => s.what === "descriptor fetch DMA")!.every).toBe(32);
    const irq = stages.find((s) => s.resource === "irq@vm1")!;
    expect(irq.coalesce).toEqual({ seconds: 16e-6, frames: 32 });
    // Coalescing adds its timer to a lone small message (Open-MX FAQ: up to dozens of us).
    const without = loneFrameSeconds(slurpoe(apart, cost("inic-slurpoe", { "irq.coalesceTime": 0 })), SMALL);
    expect(loneFrameSeconds(stages, SMALL) - without).toBeCloseTo(16e-6, 12);
    // Polling skips the interrupt: between MX's 2 us and Xen2MX's 7 us one way (domain-model 8).
    const polled = loneFrameSeconds(slurpoe(apart, cost("inic-slurpoe", { "completion.poll": 1 })), SMALL);
    expect(polled).toBeGreaterThan(2e-6);
    expect(polled).toBeLessThan(7e-6);
  });

  it("host-core-nic does the protocol work on one core per host, shared by the host's VMs", () => {
    const names = slurpoe(apart, cost("host-core-nic")).map((s) => s.resource);
    expect(names).toContain("netcore@h0");
    expect(names).toContain("netcore@h1");
    expect(names.some((n) => n.startsWith("nic@"))).toBe(false);
  });

  it("a model that does not describe a transport says which mechanism is missing", () => {
    expect(() => bridged(apart, cost("sriov"))).toThrow(/model sriov has no number for mechanism "bridge.frame"/);
  });
});
