// The FFT against a direct DFT, and the row, line and batched forms against each other.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FftPlan, fftLines, fftRows } from "../../bench/nas/fft.ts";

function dft(x: Float64Array, sign: number): Float64Array {
  const n = x.length / 2;
  const y = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      re += x[2 * j]! * Math.cos(a) - x[2 * j + 1]! * Math.sin(a);
      im += x[2 * j]! * Math.sin(a) + x[2 * j + 1]! * Math.cos(a);
    }
    y[2 * k] = re;
    y[2 * k + 1] = im;
  }
  return y;
}

const sizes = fc.constantFrom(1, 2, 4, 8, 16, 32, 64);

describe("fft", () => {
  it("fftRows with one column equals the direct DFT, both signs", () => {
    fc.assert(
      fc.property(sizes, fc.constantFrom(-1, 1), fc.integer({ min: 1, max: 1e6 }), (n, sign, seed) => {
        const x = Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(seed + i * 1.7));
        const y = x.slice();
        fftRows(new FftPlan(n), y, 0, 1, sign);
        const ref = dft(x, sign);
        for (let i = 0; i < 2 * n; i++) expect(Math.abs(y[i]! - ref[i]!)).toBeLessThan(1e-11 * n);
      }),
      { numRuns: 40 },
    );
  });

  it("forward then inverse gives n times the input", () => {
    const n = 128;
    const x = Float64Array.from({ length: 2 * n }, (_, i) => Math.cos(i * 0.37));
    const y = x.slice();
    const plan = new FftPlan(n);
    fftRows(plan, y, 0, 1, -1);
    fftRows(plan, y, 0, 1, 1);
    for (let i = 0; i < 2 * n; i++) expect(Math.abs(y[i]! / n - x[i]!)).toBeLessThan(1e-14);
  });

  it("batched lines, single lines and columns give bit-identical results", () => {
    fc.assert(
      fc.property(sizes, fc.integer({ min: 1, max: 40 }), (n, count) => {
        const plan = new FftPlan(n);
        const data = Float64Array.from({ length: 2 * n * count }, (_, i) => Math.sin(i * 0.91));
        const lines = data.slice();
        fftLines(plan, lines, 0, count, -1);
        for (let l = 0; l < count; l++) {
          const one = data.slice(2 * n * l, 2 * n * (l + 1));
          fftRows(plan, one, 0, 1, -1);
          expect(Array.from(lines.subarray(2 * n * l, 2 * n * (l + 1)))).toEqual(Array.from(one));
        }
        // Columns: the same lines stored transposed, transformed down the rows.
        const cols = new Float64Array(2 * n * count);
        for (let l = 0; l < count; l++) for (let i = 0; i < n; i++) cols.set(data.subarray(2 * (l * n + i), 2 * (l * n + i) + 2), 2 * (i * count + l));
        fftRows(plan, cols, 0, count, -1);
        for (let l = 0; l < count; l++) for (let i = 0; i < n; i++) expect(cols[2 * (i * count + l)]).toBe(lines[2 * (l * n + i)]);
      }),
      { numRuns: 30 },
    );
  });
});
