import { describe, expect, it } from "vitest";
import { bandwidthWindows, defaultSizes, formatBytes, latencyIterations, parseBytes, parseSizes, powersOfTwo } from "../../bench/lib/sizes.ts";

describe("sizes", () => {
  it("parses byte counts with binary units", () => {
    expect(parseBytes("8")).toBe(8);
    expect(parseBytes("64K")).toBe(65536);
    expect(parseBytes("1MiB")).toBe(1 << 20);
    expect(() => parseBytes("3 parsecs")).toThrow(/not a byte count/);
  });

  it("sweeps 0 B to 4 MiB by powers of two by default, as OSU does", () => {
    expect(defaultSizes[0]).toBe(0);
    expect(defaultSizes[1]).toBe(1);
    expect(defaultSizes.at(-1)).toBe(4 << 20);
    expect(defaultSizes).toHaveLength(24);
    expect(powersOfTwo(8, 64)).toEqual([8, 16, 32, 64]);
  });

  it("parses lists and ranges, sorted and without duplicates", () => {
    expect(parseSizes("1M,8,0:4,8")).toEqual([0, 1, 2, 4, 8, 1 << 20]);
    expect(() => parseSizes("1:2:3")).toThrow(/not a size range/);
  });

  it("gives fewer iterations to bigger messages and honours the scale", () => {
    expect(latencyIterations(8)).toBeGreaterThan(latencyIterations(1 << 20));
    expect(bandwidthWindows(8)).toBeGreaterThan(bandwidthWindows(4 << 20));
    expect(latencyIterations(8, 0.5)).toBe(latencyIterations(8) / 2);
    expect(latencyIterations(4 << 20, 0.0001)).toBeGreaterThanOrEqual(2);
  });

  it("formats byte counts for tables", () => {
    expect(formatBytes(0)).toBe("0");
    expect(formatBytes(2048)).toBe("2K");
    expect(formatBytes(4 << 20)).toBe("4M");
    expect(formatBytes(1000)).toBe("1000");
  });
});
