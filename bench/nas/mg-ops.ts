/**
 * MG's stencil operators on one block of a level: arrays are [i3][i2][i1]
 * with i1 fastest and one ghost layer on every side (indices 0 and n−1).
 * The arithmetic, including the order of every sum, follows
 * NPB3.4-MPI/MG/mg.f (resid, psinv, rprj3, interp), so results match the
 * reference to rounding.
 */

/**
 * r = v − A·u on planes 1..n3−2 (r may be v). a = [a0, a1 (= 0), a2, a3].
 *
 * NPB sums each x-column of the 3×3 neighbourhood once per row (u1: the
 * four edge-adjacent, u2: the four corner neighbours in y and z) into two
 * scratch rows, then combines three neighbouring columns. Here those column
 * sums roll through local variables instead, and two rows (i2, i2+1) of a
 * plane are swept together: the twelve values of one column of the 4×3
 * block of rows around them (rows i2−1..i2+2 of planes i3−1, i3, i3+1)
 * are loaded once and serve both rows' sums, 8 typed-array accesses per
 * point (7 loads, 1 store) where one row at a time takes 11 and NPB's
 * scratch rows 18. Every
 * sum has NPB's operands in NPB's order, so the result is bit-identical. In
 * V8 each access costs about eight instructions (index add, overflow check,
 * bounds check, data pointer), so the count of accesses is what sets the
 * speed. Rows of an odd length, or the last of an odd number, go one at a
 * time (residRow).
 */
export function resid(u: Float64Array, v: Float64Array, r: Float64Array, n1: number, n2: number, n3: number, a: readonly number[]): void {
  const a0 = a[0]!;
  const a2 = a[2]!;
  const a3 = a[3]!;
  const plane = n1 * n2;
  const pairs = (n1 & 1) === 0; // an even number of interior columns
  for (let i3 = 1; i3 < n3 - 1; i3++) {
    let i2 = 1;
    if (pairs) for (; i2 + 1 < n2 - 1; i2 += 2) residRows(u, v, r, n1, i3 * plane + i2 * n1, plane, a0, a2, a3);
    for (; i2 < n2 - 1; i2++) residRow(u, v, r, n1, i3 * plane + i2 * n1, plane, a0, a2, a3);
  }
}

/**
 * resid's rows c0 (row A) and c0 + n1 (row B), which start at offset c0;
 * an even number of interior columns. The loop does two columns per trip
 * (the second half is the first with the roles of …a, …b, …c moved on):
 * V8 checks each array's map and loads its length and data pointer once
 * per trip, so two columns share them (4.3 -> 3.9 ns per point in cache).
 */
function residRows(u: Float64Array, v: Float64Array, r: Float64Array, n1: number, c0: number, plane: number, a0: number, a2: number, a3: number): void {
  // Row offsets: c… plane i3, d… plane i3−1, p… plane i3+1; …m row i2−1, …0 i2, …1 i2+1, …2 i2+2.
  const cm = c0 - n1;
  const c1 = c0 + n1;
  const c2 = c1 + n1;
  const dm = cm - plane;
  const d0 = c0 - plane;
  const d1 = c1 - plane;
  const d2 = c2 - plane;
  const pm = cm + plane;
  const p0 = c0 + plane;
  const p1 = c1 + plane;
  const p2 = c2 + plane;
  // NPB's u1 (x…: row A, y…: row B) and u2 (z…: row A, w…: row B) at i1−1 (…a) and i1 (…b); …c (i1+1) and …d (i1+2) are loaded in the loop.
  let xa = u[cm]! + u[c1]! + u[d0]! + u[p0]!;
  let za = u[dm]! + u[d1]! + u[pm]! + u[p1]!;
  let ya = u[c0]! + u[c2]! + u[d1]! + u[p1]!;
  let wa = u[d0]! + u[d2]! + u[p0]! + u[p2]!;
  let ca = u[c0 + 1]!; // the centres of rows A and B at i1
  let cb = u[c1 + 1]!;
  let xb = u[cm + 1]! + cb + u[d0 + 1]! + u[p0 + 1]!;
  let zb = u[dm + 1]! + u[d1 + 1]! + u[pm + 1]! + u[p1 + 1]!;
  let yb = ca + u[c2 + 1]! + u[d1 + 1]! + u[p1 + 1]!;
  let wb = u[d0 + 1]! + u[d2 + 1]! + u[p0 + 1]! + u[p2 + 1]!;
  for (let i1 = 1; i1 < n1 - 1; i1 += 2) {
    let j = i1 + 1;
    let e0 = u[c0 + j]!;
    let e1 = u[c1 + j]!;
    let f0 = u[d0 + j]!;
    let f1 = u[d1 + j]!;
    let g0 = u[p0 + j]!;
    let g1 = u[p1 + j]!;
    const xc = u[cm + j]! + e1 + f0 + g0;
    const zc = u[dm + j]! + f1 + u[pm + j]! + g1;
    const yc = e0 + u[c2 + j]! + f1 + g1;
    const wc = f0 + u[d2 + j]! + g0 + u[p2 + j]!;
    r[c0 + i1] = v[c0 + i1]! - a0 * ca - a2 * (zb + xa + xc) - a3 * (za + zc);
    r[c1 + i1] = v[c1 + i1]! - a0 * cb - a2 * (wb + ya + yc) - a3 * (wa + wc);
    ca = e0;
    cb = e1;
    j++;
    e0 = u[c0 + j]!;
    e1 = u[c1 + j]!;
    f0 = u[d0 + j]!;
    f1 = u[d1 + j]!;
    g0 = u[p0 + j]!;
    g1 = u[p1 + j]!;
    const xd = u[cm + j]! + e1 + f0 + g0;
    const zd = u[dm + j]! + f1 + u[pm + j]! + g1;
    const yd = e0 + u[c2 + j]! + f1 + g1;
    const wd = f0 + u[d2 + j]! + g0 + u[p2 + j]!;
    r[c0 + i1 + 1] = v[c0 + i1 + 1]! - a0 * ca - a2 * (zc + xb + xd) - a3 * (zb + zd);
    r[c1 + i1 + 1] = v[c1 + i1 + 1]! - a0 * cb - a2 * (wc + yb + yd) - a3 * (wb + wd);
    ca = e0;
    cb = e1;
    xa = xc;
    xb = xd;
    za = zc;
    zb = zd;
    ya = yc;
    yb = yd;
    wa = wc;
    wb = wd;
  }
}

/** resid's one row at offset c (the last row when a plane has an odd number): 11 accesses per point. */
function residRow(u: Float64Array, v: Float64Array, r: Float64Array, n1: number, c: number, plane: number, a0: number, a2: number, a3: number): void {
  const s = c - n1;
  const nn = c + n1;
  const d = c - plane;
  const up = c + plane;
  const dm = d - n1;
  const dp = d + n1;
  const um = up - n1;
  const upp = up + n1;
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

/**
 * u = u + C·r on planes 1..n3−2 (the smoother). c = [c0, c1, c2, c3 (= 0)].
 * Column sums and centre values roll through locals, two rows and two
 * columns at a time, as in resid (8 accesses per point instead of 11);
 * same operands and order as NPB's psinv.
 */
export function psinv(r: Float64Array, u: Float64Array, n1: number, n2: number, n3: number, c: readonly number[]): void {
  const c0 = c[0]!;
  const c1 = c[1]!;
  const c2 = c[2]!;
  const plane = n1 * n2;
  const pairs = (n1 & 1) === 0;
  for (let i3 = 1; i3 < n3 - 1; i3++) {
    let i2 = 1;
    if (pairs) for (; i2 + 1 < n2 - 1; i2 += 2) psinvRows(r, u, n1, i3 * plane + i2 * n1, plane, c0, c1, c2);
    for (; i2 < n2 - 1; i2++) psinvRow(r, u, n1, i3 * plane + i2 * n1, plane, c0, c1, c2);
  }
}

/** psinv's rows o0 (row A) and o0 + n1 (row B), two columns per trip; names as in residRows. */
function psinvRows(r: Float64Array, u: Float64Array, n1: number, o0: number, plane: number, k0: number, k1: number, k2: number): void {
  const om = o0 - n1;
  const o1 = o0 + n1;
  const o2 = o1 + n1;
  const dm = om - plane;
  const d0 = o0 - plane;
  const d1 = o1 - plane;
  const d2 = o2 - plane;
  const pm = om + plane;
  const p0 = o0 + plane;
  const p1 = o1 + plane;
  const p2 = o2 + plane;
  // NPB's r1 (x…: row A, y…: row B) at i1−1 (…a) and i1 (…b), r2 (z…, w…) at i1; centres (q…: row A, s…: row B) at i1−1 and i1.
  let qa = r[o0]!;
  let sa = r[o1]!;
  let xa = r[om]! + sa + r[d0]! + r[p0]!;
  let ya = qa + r[o2]! + r[d1]! + r[p1]!;
  let qb = r[o0 + 1]!;
  let sb = r[o1 + 1]!;
  let xb = r[om + 1]! + sb + r[d0 + 1]! + r[p0 + 1]!;
  let yb = qb + r[o2 + 1]! + r[d1 + 1]! + r[p1 + 1]!;
  let zb = r[dm + 1]! + r[d1 + 1]! + r[pm + 1]! + r[p1 + 1]!;
  let wb = r[d0 + 1]! + r[d2 + 1]! + r[p0 + 1]! + r[p2 + 1]!;
  for (let i1 = 1; i1 < n1 - 1; i1 += 2) {
    let j = i1 + 1;
    const qc = r[o0 + j]!;
    const sc = r[o1 + j]!;
    let f0 = r[d0 + j]!;
    let f1 = r[d1 + j]!;
    let g0 = r[p0 + j]!;
    let g1 = r[p1 + j]!;
    const xc = r[om + j]! + sc + f0 + g0;
    const zc = r[dm + j]! + f1 + r[pm + j]! + g1;
    const yc = qc + r[o2 + j]! + f1 + g1;
    const wc = f0 + r[d2 + j]! + g0 + r[p2 + j]!;
    u[o0 + i1] = u[o0 + i1]! + k0 * qb + k1 * (qa + qc + xb) + k2 * (zb + xa + xc);
    u[o1 + i1] = u[o1 + i1]! + k0 * sb + k1 * (sa + sc + yb) + k2 * (wb + ya + yc);
    j++;
    const qd = r[o0 + j]!;
    const sd = r[o1 + j]!;
    f0 = r[d0 + j]!;
    f1 = r[d1 + j]!;
    g0 = r[p0 + j]!;
    g1 = r[p1 + j]!;
    const xd = r[om + j]! + sd + f0 + g0;
    const zd = r[dm + j]! + f1 + r[pm + j]! + g1;
    const yd = qd + r[o2 + j]! + f1 + g1;
    const wd = f0 + r[d2 + j]! + g0 + r[p2 + j]!;
    u[o0 + i1 + 1] = u[o0 + i1 + 1]! + k0 * qc + k1 * (qb + qd + xc) + k2 * (zc + xb + xd);
    u[o1 + i1 + 1] = u[o1 + i1 + 1]! + k0 * sc + k1 * (sb + sd + yc) + k2 * (wc + yb + yd);
    xa = xc;
    xb = xd;
    ya = yc;
    yb = yd;
    zb = zd;
    wb = wd;
    qa = qc;
    qb = qd;
    sa = sc;
    sb = sd;
  }
}

/** psinv's one row at offset o: 10 accesses per point. */
function psinvRow(r: Float64Array, u: Float64Array, n1: number, o: number, plane: number, c0: number, c1: number, c2: number): void {
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

/**
 * Restriction s = P·r: coarse (j1, j2, j3) sits on fine (2j1, 2j2, 2j3).
 * Fills coarse planes 1..m3j−2 (the fine block must hold planes 1..2·(m3j−2)+1).
 * NPB's x1/y1 column sums at the odd fine columns either side of a coarse
 * point roll through locals (each is shared by two neighbouring coarse
 * points), as in resid; same operands and order as NPB's rprj3.
 */
export function rprj3(r: Float64Array, m1k: number, m2k: number, s: Float64Array, m1j: number, m2j: number, m3j: number): void {
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
      const dm = d - m1k;
      const um = up - m1k;
      const dp = d + m1k;
      const upp = up + m1k;
      // x1, y1 and r at fine column i − 1 (…a); i + 1 (…b) is loaded in the loop.
      let x1a = r[s2 + 1]! + r[n2 + 1]! + r[d + 1]! + r[up + 1]!;
      let y1a = r[dm + 1]! + r[um + 1]! + r[dp + 1]! + r[upp + 1]!;
      let ra = r[c + 1]!;
      const out = j3 * pj + j2 * m1j;
      for (let j1 = 1; j1 < m1j - 1; j1++) {
        const i = 2 * j1;
        const k = i + 1;
        const x1b = r[s2 + k]! + r[n2 + k]! + r[d + k]! + r[up + k]!;
        const y1b = r[dm + k]! + r[um + k]! + r[dp + k]! + r[upp + k]!;
        const rb = r[c + k]!;
        const y2 = r[dm + i]! + r[um + i]! + r[dp + i]! + r[upp + i]!;
        const x2 = r[s2 + i]! + r[n2 + i]! + r[d + i]! + r[up + i]!;
        s[out + j1] = 0.5 * r[c + i]! + 0.25 * (ra + rb + x2) + 0.125 * (x1a + x1b + y2) + 0.0625 * (y1a + y1b);
        x1a = x1b;
        y1a = y1b;
        ra = rb;
      }
    }
  }
}

/**
 * Prolongation into one fine plane: u[fine plane] += Q·z. An even fine plane
 * (2c) takes coarse plane `c0`; an odd one (2c+1) averages planes c0 and c0+1
 * (`odd`). Covers every fine row and column, ghosts included, as interp does.
 * Both fine rows of a coarse row are done in one pass with NPB's z1 (z2, z3)
 * sums rolling through locals; same operands and order as NPB's interp.
 */
export function interpPlane(z: Float64Array, mm1: number, mm2: number, c0: number, odd: boolean, u: Float64Array, n1: number, n2: number, fine: number): void {
  const pc = mm1 * mm2;
  const pf = n1 * n2;
  const f = fine * pf;
  for (let i2 = 0; i2 < mm2 - 1; i2++) {
    const a = c0 * pc + i2 * mm1; // z(·, i2, c)
    const an = a + mm1; // z(·, i2+1, c)
    const r0 = f + 2 * i2 * n1;
    const r1 = r0 + n1;
    if (odd) interpOddRows(z, a, an, a + pc, an + pc, mm1, u, r0, r1);
    else interpEvenRows(z, a, an, mm1, u, r0, r1);
  }
}

/** Fine rows 2·i2 and 2·i2+1 of an even fine plane, from coarse rows a (i2) and an (i2+1). */
function interpEvenRows(z: Float64Array, a: number, an: number, mm1: number, u: Float64Array, r0: number, r1: number): void {
  let za = z[a]!;
  let z1a = z[an]! + za;
  for (let i1 = 0; i1 < mm1 - 1; i1++) {
    const zb = z[a + i1 + 1]!;
    const z1b = z[an + i1 + 1]! + zb;
    const e = 2 * i1;
    u[r0 + e] = u[r0 + e]! + za;
    u[r0 + e + 1] = u[r0 + e + 1]! + 0.5 * (zb + za);
    u[r1 + e] = u[r1 + e]! + 0.5 * z1a;
    u[r1 + e + 1] = u[r1 + e + 1]! + 0.25 * (z1a + z1b);
    za = zb;
    z1a = z1b;
  }
}

/** The same for an odd fine plane, between coarse planes (a, an) and (b, bn) = (a, an) + one plane. */
function interpOddRows(z: Float64Array, a: number, an: number, b: number, bn: number, mm1: number, u: Float64Array, r0: number, r1: number): void {
  let z2a = z[b]! + z[a]!;
  let z3a = z[bn]! + z[b]! + (z[an]! + z[a]!);
  for (let i1 = 0; i1 < mm1 - 1; i1++) {
    const k = i1 + 1;
    const zz1 = z[an + k]! + z[a + k]!;
    const z2b = z[b + k]! + z[a + k]!;
    const z3b = z[bn + k]! + z[b + k]! + zz1;
    const e = 2 * i1;
    u[r0 + e] = u[r0 + e]! + 0.5 * z2a;
    u[r0 + e + 1] = u[r0 + e + 1]! + 0.25 * (z2a + z2b);
    u[r1 + e] = u[r1 + e]! + 0.25 * z3a;
    u[r1 + e + 1] = u[r1 + e + 1]! + 0.125 * (z3a + z3b);
    z2a = z2b;
    z3a = z3b;
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
