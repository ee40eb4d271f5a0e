// EP's logarithm against Math.log: within 4 units in the last place everywhere EP uses it (0, 1], and beyond.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logPositive } from "../../bench/nas/common/log.ts";

function ulpsApart(a: number, b: number): number {
  return Math.abs(a - b) / (Math.abs(b) * Number.EPSILON);
}

describe("logPositive", () => {
  it("is within 4 ulps of Math.log for doubles in (0, 1], including next to 1", () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }), (t) => {
        if (t === 1) expect(logPositive(t)).toBe(0);
        else expect(ulpsApart(logPositive(t), Math.log(t))).toBeLessThanOrEqual(4);
      }),
      { numRuns: 20000 },
    );
    for (let k = 1; k <= 53; k++) {
      const t = 1 - 2 ** -k;
      expect(ulpsApart(logPositive(t), Math.log(t))).toBeLessThanOrEqual(4);
    }
  });

  it("is within 4 ulps of Math.log for large and subnormal arguments", () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true }), (t) => {
        if (t !== 1) expect(ulpsApart(logPositive(t), Math.log(t))).toBeLessThanOrEqual(4);
      }),
      { numRuns: 5000 },
    );
    expect(logPositive(5e-324)).toBe(Math.log(5e-324));
    expect(logPositive(2)).toBeCloseTo(Math.LN2, 15);
  });
});
