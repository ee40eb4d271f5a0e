/**
 * MG's stencil operators on one block of a level: arrays are [i3][i2][i1]
 * with i1 fastest and one ghost layer on every side (indices 0 and n−1).
 * The arithmetic, including the order of every sum, follows
 * NPB3.4-MPI/MG/mg.f (resid, psinv, rprj3, interp), so results match the
 * reference to rounding. `x1`, `y1`, `z1`… are caller-owned scratch rows.
 */

/**
 * r = v − A·u on planes 1..n3−2 (r may be v). a = [a0, a1 (= 0), a2, a3].
 *
 * NPB sums each x-column of the 3×3 neighbourhood once per row (u1: the
 * four edge-adjacent, u2: the four corner neighbours in y and z) into two
 * scratch rows, then combines three neighbouring columns. Here the three
 * column sums in use (at i1−1, i1, i1+1) roll through local variables
 * instead: each point loads one new column and never touches scratch
 * arrays, 11 typed-array accesses per point instead of 18. Every sum has
 * NPB's operands in NPB's order, so the result is bit-identical. In V8 each
 * access costs about eight instructions (index add, overflow check, bounds
 * check, data pointer), so the count of accesses is what sets the speed:
 * 8.4 -> 5.5 ns per point (class W level, 130³).
 */
export function resid(u: Float64Array, v: Float64Array, r: Float64Array, n1: number, n2: number, n3: number, a: readonly number[]): void {
  const a0 = a[0]!;
  const a2 = a[2]!;
  const a3 = a[3]!;
  const plane = n1 * n2;
  for (let i3 = 1; i3 < n3 - 1; i3++) {
    for (let i2 = 1; i2 < n2 - 1; i2++) {
      const c = i3 * plane + i2 * n1;
      const s = c - n1; // i2 − 1
      const nn = c + n1; // i2 + 1
      const d = c - plane; // i3 − 1
      const up = c + plane; // i3 + 1
      const dm = d - n1;
      const dp = d + n1;
      const um = up - n1;
      const upp = up + n1;
      // u1 and u2 of NPB's resid at i1−1 (…a) and i1 (…b); …c is i1+1, loaded in the loop.
      let u1a = u[s]! + u[nn]! + u[d]! + u[up]!;
      let u2a = u[dm]! + u[dp]! + u[um]! + u[upp]!;
      let u1b = u[s + 1]! + u[nn + 1]! + u[d + 1]! + u[up + 1]!;
      let u2b = u[dm + 1]! + u[dp + 1]! + u[um + 1]! + u[upp + 1]!;
      for (let i1 = 1; i1 < n1 - 1; i1++) {
        const j = i1 + 1;
        const u1c = u[s + j]! + u[nn + j]! + u[d + j]! + u[up + j]!;
        const u2c = u[dm + j]! + u[dp + j]! + u[um + j]! + u[upp + j]!;
        r[c + i1] = v[c + i1]! - a0 * u[c + i1]! - a2 * (u2b + u1a + u1c) - a3 * (u2a + u2c);
        u1a = u1b;
        u1b = u1c;
        u2a = u2b;
        u2b = u2c;
      }
    }
  }
}

/**
 * u = u + C·r on planes 1..n3−2 (the smoother). c = [c0, c1, c2, c3 (= 0)].
 * Column sums and the centre row roll through locals as in resid
 * (8.6 -> 5.6 ns per point), same operands and order as NPB's psinv.
 */
export function psinv(r: Float64Array, u: Float64Array, n1: number, n2: number, n3: number, c: readonly number[]): void {
  const c0 = c[0]!;
  const c1 = c[1]!;
  const c2 = c[2]!;
  const plane = n1 * n2;
  for (let i3 = 1; i3 < n3 - 1; i3++) {
    for (let i2 = 1; i2 < n2 - 1; i2++) {
      const o = i3 * plane + i2 * n1;
      const s = o - n1;
      const nn = o + n1;
      const d = o - plane;
      const up = o + plane;
      const dm = d - n1;
      const dp = d + n1;
      const um = up - n1;
      const upp = up + n1;
      let r1a = r[s]! + r[nn]! + r[d]! + r[up]!;
      let r1b = r[s + 1]! + r[nn + 1]! + r[d + 1]! + r[up + 1]!;
      let r2b = r[dm + 1]! + r[dp + 1]! + r[um + 1]! + r[upp + 1]!;
      let ra = r[o]!;
      let rb = r[o + 1]!;
      for (let i1 = 1; i1 < n1 - 1; i1++) {
        const j = i1 + 1;
        const r1c = r[s + j]! + r[nn + j]! + r[d + j]! + r[up + j]!;
        const r2c = r[dm + j]! + r[dp + j]! + r[um + j]! + r[upp + j]!;
        const rc = r[o + j]!;
        u[o + i1] = u[o + i1]! + c0 * rb + c1 * (ra + rc + r1b) + c2 * (r2b + r1a + r1c);
        r1a = r1b;
        r1b = r1c;
        r2b = r2c;
        ra = rb;
        rb = rc;
      }
    }
  }
}

/**
 * Restriction s = P·r: coarse (j1, j2, j3) sits on fine (2j1, 2j2, 2j3).
 * Fills coarse planes 1..m3j−2 (the fine block must hold planes 1..2·(m3j−2)+1).
 */
export function rprj3(
  r: Float64Array,
  m1k: number,
  m2k: number,
  s: Float64Array,
  m1j: number,
  m2j: number,
  m3j: number,
  x1: Float64Array,
  y1: Float64Array,
): void {
  const pk = m1k * m2k;
  const pj = m1j * m2j;
  for (let j3 = 1; j3 < m3j - 1; j3++) {
    const i3 = 2 * j3;
    for (let j2 = 1; j2 < m2j - 1; j2++) {
      const i2 = 2 * j2;
      const c = i3 * pk + i2 * m1k;
      const s2 = c - m1k;
      const n2 = c + m1k;
      const d = c - pk;
      const up = c + pk;
      for (let j1 = 1; j1 < m1j; j1++) {
        const i = 2 * j1 - 1;
        x1[i] = r[s2 + i]! + r[n2 + i]! + r[d + i]! + r[up + i]!;
        y1[i] = r[d - m1k + i]! + r[up - m1k + i]! + r[d + m1k + i]! + r[up + m1k + i]!;
      }
      const out = j3 * pj + j2 * m1j;
      for (let j1 = 1; j1 < m1j - 1; j1++) {
        const i = 2 * j1;
        const y2 = r[d - m1k + i]! + r[up - m1k + i]! + r[d + m1k + i]! + r[up + m1k + i]!;
        const x2 = r[s2 + i]! + r[n2 + i]! + r[d + i]! + r[up + i]!;
        s[out + j1] =
          0.5 * r[c + i]! + 0.25 * (r[c + i - 1]! + r[c + i + 1]! + x2) + 0.125 * (x1[i - 1]! + x1[i + 1]! + y2) + 0.0625 * (y1[i - 1]! + y1[i + 1]!);
      }
    }
  }
}

/**
 * Prolongation into one fine plane: u[fine plane] += Q·z. An even fine plane
 * (2c) takes coarse plane `c0`; an odd one (2c+1) averages planes c0 and c0+1
 * (`odd`). Covers every fine row and column, ghosts included, as interp does.
 */
export function interpPlane(
  z: Float64Array,
  mm1: number,
  mm2: number,
  c0: number,
  odd: boolean,
  u: Float64Array,
  n1: number,
  n2: number,
  fine: number,
  z1: Float64Array,
  z2: Float64Array,
  z3: Float64Array,
): void {
  const pc = mm1 * mm2;
  const pf = n1 * n2;
  const f = fine * pf;
  for (let i2 = 0; i2 < mm2 - 1; i2++) {
    const a = c0 * pc + i2 * mm1; // z(·, i2, c)
    const an = a + mm1; // z(·, i2+1, c)
    const b = a + pc; // z(·, i2, c+1)
    const bn = b + mm1; // z(·, i2+1, c+1)
    const r0 = f + 2 * i2 * n1;
    const r1 = r0 + n1;
    if (!odd) {
      for (let i1 = 0; i1 < mm1; i1++) z1[i1] = z[an + i1]! + z[a + i1]!;
      for (let i1 = 0; i1 < mm1 - 1; i1++) {
        u[r0 + 2 * i1] = u[r0 + 2 * i1]! + z[a + i1]!;
        u[r0 + 2 * i1 + 1] = u[r0 + 2 * i1 + 1]! + 0.5 * (z[a + i1 + 1]! + z[a + i1]!);
      }
      for (let i1 = 0; i1 < mm1 - 1; i1++) {
        u[r1 + 2 * i1] = u[r1 + 2 * i1]! + 0.5 * z1[i1]!;
        u[r1 + 2 * i1 + 1] = u[r1 + 2 * i1 + 1]! + 0.25 * (z1[i1]! + z1[i1 + 1]!);
      }
    } else {
      for (let i1 = 0; i1 < mm1; i1++) {
        const zz1 = z[an + i1]! + z[a + i1]!;
        z2[i1] = z[b + i1]! + z[a + i1]!;
        z3[i1] = z[bn + i1]! + z[b + i1]! + zz1;
      }
      for (let i1 = 0; i1 < mm1 - 1; i1++) {
        u[r0 + 2 * i1] = u[r0 + 2 * i1]! + 0.5 * z2[i1]!;
        u[r0 + 2 * i1 + 1] = u[r0 + 2 * i1 + 1]! + 0.25 * (z2[i1]! + z2[i1 + 1]!);
      }
      for (let i1 = 0; i1 < mm1 - 1; i1++) {
        u[r1 + 2 * i1] = u[r1 + 2 * i1]! + 0.25 * z3[i1]!;
        u[r1 + 2 * i1 + 1] = u[r1 + 2 * i1 + 1]! + 0.125 * (z3[i1]! + z3[i1 + 1]!);
      }
    }
  }
}

/** Periodic ghosts in x, then y (rows including x ghosts), on planes first..last. */
export function periodicXY(u: Float64Array, n1: number, n2: number, first: number, last: number): void {
  const plane = n1 * n2;
  for (let i3 = first; i3 <= last; i3++) {
    const p = i3 * plane;
    for (let i2 = 1; i2 < n2 - 1; i2++) {
      const o = p + i2 * n1;
      u[o] = u[o + n1 - 2]!;
      u[o + n1 - 1] = u[o + 1]!;
    }
    u.copyWithin(p, p + (n2 - 2) * n1, p + (n2 - 1) * n1);
    u.copyWithin(p + (n2 - 1) * n1, p + n1, p + 2 * n1);
  }
}
