// dimsCreate (MPI_Dims_create): balanced, non-increasing factors; zero
// dimensions with one node (MPI-4.0 erratum); huge or bad arguments refused
// at once with ERR_ARG; the most composite MPI-int node counts answered.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MpiError } from "../../src/errors.ts";
import { dimsCreate, MAX_NODES } from "../../src/api/dims-create.ts";

/** Every non-increasing factorisation of n into k factors (the sequential reference; small n only). */
function* factorisations(n: number, k: number, cap = n): Generator<number[]> {
  if (k === 1) {
    if (n <= cap) yield [n];
    return;
  }
  for (let f = Math.min(cap, n); f >= 1; f--) if (n % f === 0) for (const rest of factorisations(n / f, k - 1, f)) yield [f, ...rest];
}

describe("dimsCreate (fast, bounded)", () => {
  it("matches MPI_Dims_create on known cases, and zero dimensions with one node give []", () => {
    expect(dimsCreate(12, 2)).toEqual([4, 3]);
    expect(dimsCreate(16, 3)).toEqual([4, 2, 2]);
    expect(dimsCreate(24, 3)).toEqual([4, 3, 2]);
    expect(dimsCreate(7, 2)).toEqual([7, 1]);
    expect(dimsCreate(6, [0, 3])).toEqual([2, 3]);
    expect(dimsCreate(20, 4)).toEqual([5, 2, 2, 1]);
    expect(dimsCreate(1, 0)).toEqual([]);
    expect(dimsCreate(1, [])).toEqual([]);
    expect(dimsCreate(2 ** 30, 4)).toEqual([256, 256, 128, 128]);
  });

  it("has the smallest spread, then the smallest largest factor, of every factorisation", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 5 }), (n, k) => {
        const d = dimsCreate(n, k);
        expect(d.reduce((a, b) => a * b, 1)).toBe(n);
        let spread = Number.POSITIVE_INFINITY;
        let largest = Number.POSITIVE_INFINITY;
        for (const f of factorisations(n, k)) {
          const s = f[0]! - f[k - 1]!;
          if (s < spread || (s === spread && f[0]! < largest)) [spread, largest] = [s, f[0]!];
        }
        expect([d[0]! - d[k - 1]!, d[0]]).toEqual([spread, largest]);
        for (let i = 1; i < k; i++) expect(d[i]!).toBeLessThanOrEqual(d[i - 1]!);
      }),
      { numRuns: 400 },
    );
  });

  it("answers the most composite node counts below 2^31 for every dimension count up to 32", () => {
    for (const n of [735134400, 2095133040, 2 ** 31 - 1, 2 ** 30])
      for (let k = 1; k <= 32; k++) expect(dimsCreate(n, k).reduce((a, b) => a * b, 1)).toBe(n);
  });

  it("refuses huge or malformed arguments at once with ERR_ARG", () => {
    for (const [n, d] of [
      [6, 1e9],
      [2 ** 40, 3],
      [MAX_NODES + 1, 2],
      [0, 2],
      [2, 0],
      [6, -1],
      [6, 1.5],
      [Number.NaN, 2],
      [6, [4, 0]],
      [6, [2, 3, 2]],
      [6, [0, -1]],
    ] as [number, number | number[]][]) {
      const e = (() => {
        try {
          dimsCreate(n, d);
        } catch (x) {
          return x;
        }
      })();
      expect(e, `dimsCreate(${n}, ${JSON.stringify(d)})`).toBeInstanceOf(MpiError);
      expect((e as MpiError).code).toBe("ERR_ARG");
    }
  });
});
