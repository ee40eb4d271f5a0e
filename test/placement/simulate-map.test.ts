/** Simulating a placement: exact and repeatable with compute free, and the transport's model by default. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulateMap } from "../../src/launcher/simulate-map.ts";
import { place } from "../../src/placement/mapper/index.ts";

const example = fileURLToPath(new URL("../../examples/heavy-groups.ts", import.meta.url));

describe("simulateMap", () => {
  it("gives the same virtual time every time with compute none, and a different one on another placement or model", async () => {
    const machine = { hosts: 2, vmsPerHost: 2, slots: 4 };
    const o = { program: example, args: ["4", "4", "3", "1"], np: 16 };
    const block = (await place({ strategy: "block", np: 16, machine, transport: "bridged" })).map;
    const random = (await place({ strategy: "random:3", np: 16, machine, transport: "bridged" })).map;
    const first = await simulateMap(block, o);
    expect((await simulateMap(block, o)).virtualSeconds).toBe(first.virtualSeconds);
    expect((await simulateMap(random, o)).virtualSeconds).not.toBe(first.virtualSeconds);
    // bridged runs under xen-bridged unless told: its dom0 bridges are the busiest resources.
    expect(Object.keys(first.utilisation)[0]).toMatch(/^bridge@host/);
    // vf runs under sriov unless told; posted interrupts (sriov-posted) make it faster.
    const vf = (await place({ strategy: "block", np: 16, machine, transport: "vf" })).map;
    const posted = await simulateMap(vf, { ...o, model: "sriov-posted" });
    expect(posted.virtualSeconds).toBeLessThan((await simulateMap(vf, o)).virtualSeconds);
  });
});
