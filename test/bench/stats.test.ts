import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { combineRuns, median, summarize } from "../../bench/lib/stats.ts";

describe("median", () => {
  it("takes the middle value of an odd list and the mean of the two middle values of an even one", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it("does not reorder its input", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it("rejects an empty list", () => {
    expect(() => median([])).toThrow(RangeError);
  });

  it("agrees with a sort-based reference and has as many values on each side", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 50 }), (values) => {
        const m = median(values);
        const below = values.filter((v) => v < m).length;
        const above = values.filter((v) => v > m).length;
        expect(below).toBeLessThanOrEqual(values.length / 2);
        expect(above).toBeLessThanOrEqual(values.length / 2);
        expect(m).toBeGreaterThanOrEqual(Math.min(...values));
        expect(m).toBeLessThanOrEqual(Math.max(...values));
      }),
    );
  });
});

describe("summarize and combineRuns", () => {
  it("reports median, min, max and keeps the samples in measured order", () => {
    expect(summarize([4, 2, 9, 1, 5])).toEqual({ median: 4, min: 1, max: 9, samples: [4, 2, 9, 1, 5] });
  });

  it("combines runs as the median of medians with the overall extremes", () => {
    const runs = [summarize([1, 2, 3]), summarize([10, 20, 30]), summarize([4, 5, 6])];
    const c = combineRuns(runs);
    expect(c.median).toBe(5);
    expect(c.min).toBe(1);
    expect(c.max).toBe(30);
    expect(c.samples).toHaveLength(9);
  });
});
