import { describe, expect, it } from "vitest";
import { costModel, type Endpoint, resourceName } from "../../src/transport/cost.ts";

const e: Endpoint = { rank: 3, vm: "vm5", host: "host1" };

describe("the path-cost vocabulary", () => {
  it("names resources after the placement level that owns them", () => {
    expect(resourceName("cpu", e)).toBe("cpu@rank3");
    expect(resourceName("bridge", e)).toBe("bridge@host1");
    expect(resourceName("nic", e)).toBe("nic@vm5");
    expect(resourceName("pcie", e)).toBe("pcie@vm5");
    expect(resourceName("membw", e)).toBe("membw@vm5");
    expect(resourceName("link", e, "tx")).toBe("link@host1.tx");
  });

  it("a table model answers what it has and names what it lacks", () => {
    const m = costModel("t", { "cpu.send": 1 });
    expect(m.has("cpu.send")).toBe(true);
    expect(m.value("cpu.send")).toBe(1);
    expect(m.has("cpu.receive")).toBe(false);
    expect(() => m.value("cpu.receive")).toThrow(/ERR_ARG.*model t has no number for mechanism "cpu.receive"/);
  });
});
