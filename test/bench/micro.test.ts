import { describe, expect, it, vi } from "vitest";
import { formatMicro, runMicro } from "../../bench/lib/micro.ts";
import { coreCases } from "../../bench/micro/core.ts";

describe("runMicro (benny adapter)", () => {
  it("returns one stamped row per case with a positive rate, slower work slower", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const data = Array.from({ length: 2000 }, (_, i) => i);
    const r = await runMicro(
      "adapter",
      { cheap: () => 1 + 1, costly: () => data.map((x) => x * 2).reduce((a, b) => a + b, 0) },
      { maxTime: 0.1, minTime: 0.05 },
    );
    log.mockRestore();
    expect(r.rows.map((x) => x.name)).toEqual(["cheap", "costly"]);
    expect(r.rows.every((x) => x.opsPerSecond > 0 && Math.abs(x.nsPerOp * x.opsPerSecond - 1e9) < 1)).toBe(true);
    expect(r.rows[0]!.opsPerSecond).toBeGreaterThan(r.rows[1]!.opsPerSecond);
    expect(r.stamp.node).toBe(process.version);
    expect(formatMicro(r).split("\n")).toHaveLength(5);
  }, 20_000);
});

describe("core micro-benchmark cases", () => {
  it("do the work they name and leave their state as they found it", () => {
    const cases = coreCases();
    expect(cases["header write + read (40 B)"]!()).toBe(42);
    expect(cases["encode Float64Array(1024) (raw view)"]!()).toBe(8192);
    expect(cases["decodeCopy Float64Array(1024)"]!()).toBe(1024);
    expect(cases["decodeCopy small object"]!()).toEqual({ step: 3, name: "halo", cells: [1, 2, 3, 4], nested: { ok: true } });
    for (let i = 0; i < 3; i++) {
      expect(cases["match: first of 64 posted"]!()).toEqual({ source: 0, tag: 5 });
      expect(cases["match: last of 64 posted"]!()).toEqual({ source: 63, tag: 5 });
    }
  });
});
