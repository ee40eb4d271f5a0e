// MG's resid and psinv sweep two rows and two columns at a time with the
// column sums rolling through locals; NPB's mg.f sums each row's columns
// into scratch rows first. Both must give the same bits for every grid
// shape, odd sizes (which take the one-row path) included.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { psinv, resid } from "../../bench/nas/mg-ops.ts";
import { MG } from "../../bench/nas/verification.ts";

/** NPB's resid, as mg.f writes it: scratch rows u1, u2 per (i2, i3). */
function residNpb(u: Float64Array, v: Float64Array, r: Float64Array, n1: number, n2: number, n3: number, a: readonly number[]): void {
  const at = (i1: number, i2: number, i3: number): number => (i3 * n2 + i2) * n1 + i1;
  const u1 = new Float64Array(n1);
  const u2 = new Float64Array(n1);
  for (let i3 = 1; i3 < n3 - 1; i3++) {
    for (let i2 = 1; i2 < n2 - 1; i2++) {
      for (let i1 = 0; i1 < n1; i1++) {
        u1[i1] = u[at(i1, i2 - 1, i3)]! + u[at(i1, i2 + 1, i3)]! + u[at(i1, i2, i3 - 1)]! + u[at(i1, i2, i3 + 1)]!;
        u2[i1] = u[at(i1, i2 - 1, i3 - 1)]! + u[at(i1, i2 + 1, i3 - 1)]! + u[at(i1, i2 - 1, i3 + 1)]! + u[at(i1, i2 + 1, i3 + 1)]!;
      }
      for (let i1 = 1; i1 < n1 - 1; i1++) {
        r[at(i1, i2, i3)] = v[at(i1, i2, i3)]! - a[0]! * u[at(i1, i2, i3)]! - a[2]! * (u2[i1]! + u1[i1 - 1]! + u1[i1 + 1]!) - a[3]! * (u2[i1 - 1]! + u2[i1 + 1]!);
      }
    }
  }
}

/** NPB's psinv: scratch rows r1, r2 per (i2, i3). */
function psinvNpb(r: Float64Array, u: Float64Array, n1: number, n2: number, n3: number, c: readonly number[]): void {
  const at = (i1: number, i2: number, i3: number): number => (i3 * n2 + i2) * n1 + i1;
  const r1 = new Float64Array(n1);
  const r2 = new Float64Array(n1);
  for (let i3 = 1; i3 < n3 - 1; i3++) {
    for (let i2 = 1; i2 < n2 - 1; i2++) {
      for (let i1 = 0; i1 < n1; i1++) {
        r1[i1] = r[at(i1, i2 - 1, i3)]! + r[at(i1, i2 + 1, i3)]! + r[at(i1, i2, i3 - 1)]! + r[at(i1, i2, i3 + 1)]!;
        r2[i1] = r[at(i1, i2 - 1, i3 - 1)]! + r[at(i1, i2 + 1, i3 - 1)]! + r[at(i1, i2 - 1, i3 + 1)]! + r[at(i1, i2 + 1, i3 + 1)]!;
      }
      for (let i1 = 1; i1 < n1 - 1; i1++) {
        const k = at(i1, i2, i3);
        u[k] = u[k]! + c[0]! * r[k]! + c[1]! * (r[k - 1]! + r[k + 1]! + r1[i1]!) + c[2]! * (r2[i1]! + r1[i1 - 1]! + r1[i1 + 1]!);
      }
    }
  }
}

const side = fc.integer({ min: 3, max: 11 });
const grid = fc.tuple(side, side, side, fc.integer({ min: 1, max: 2 ** 31 - 1 })).map(([n1, n2, n3, seed]) => {
  const values = (k: number): Float64Array => {
    const out = new Float64Array(n1 * n2 * n3);
    let x = seed + k;
    for (let i = 0; i < out.length; i++) {
      x = (x * 48271) % 2147483647;
      out[i] = x / 2147483647 - 0.5;
    }
    return out;
  };
  return { n1, n2, n3, u: values(1), v: values(2) };
});

describe("MG operators", () => {
  it("resid gives NPB's bits for every grid shape, odd sizes included", () => {
    fc.assert(
      fc.property(grid, ({ n1, n2, n3, u, v }) => {
        const want = new Float64Array(u.length);
        const got = new Float64Array(u.length);
        residNpb(u, v, want, n1, n2, n3, MG.a);
        resid(u, v, got, n1, n2, n3, MG.a);
        expect(got).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it("resid may write over v (r = v), as the coarse levels call it", () => {
    fc.assert(
      fc.property(grid, ({ n1, n2, n3, u, v }) => {
        const want = v.slice(); // the ghosts keep v
        residNpb(u, v, want, n1, n2, n3, MG.a);
        const inPlace = v.slice();
        resid(u, inPlace, inPlace, n1, n2, n3, MG.a);
        expect(inPlace).toEqual(want);
      }),
      { numRuns: 100 },
    );
  });

  it("psinv gives NPB's bits for every grid shape, odd sizes included", () => {
    fc.assert(
      fc.property(grid, ({ n1, n2, n3, u, v }) => {
        const want = u.slice();
        const got = u.slice();
        psinvNpb(v, want, n1, n2, n3, MG.smootherA);
        psinv(v, got, n1, n2, n3, MG.smootherA);
        expect(got).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });
});
