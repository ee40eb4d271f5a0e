/**
 * CG's test matrix (NPB makea / sprnvc / vecset / sparse): a sum of na
 * scaled outer products of random sparse vectors, plus (rcond − shift) on the
 * diagonal, kept only for this rank's rows [firstRow, lastRow) and stored as
 * CSR. Every rank runs the generator over all na vectors, because each vector
 * touches rows anywhere. Duplicates are summed in generation order, as sparse()
 * does, so each row's values and column order match NPB's exactly.
 * After NPB3.4-MPI/CG/cg.f.
 */
import { A_NPB, Randlc } from "./common/randlc.ts";

export interface Csr {
  rowStart: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

export function makeMatrix(na: number, nonzer: number, shift: number, rcond: number, firstRow: number, lastRow: number): Csr {
  const rng = new Randlc(314159265);
  rng.next(A_NPB); // cg.f throws one value away (zeta = randlc(tran, amult)) before makea
  let nn1 = 1;
  while (nn1 < na) nn1 *= 2;

  const maxTriplets = na * (nonzer + 1) * (nonzer + 1) + na;
  const tRow = new Int32Array(maxTriplets);
  const tCol = new Int32Array(maxTriplets);
  const tVal = new Float64Array(maxTriplets);
  let nt = 0;
  const v = new Float64Array(nonzer + 2);
  const iv = new Int32Array(nonzer + 2);
  const mark = new Uint8Array(na + 1);
  const ratio = rcond ** (1 / na);
  let size = 1;

  for (let outer = 1; outer <= na; outer++) {
    // sprnvc: nonzer distinct positions in 1..na; each candidate costs two draws.
    let nzv = 0;
    while (nzv < nonzer) {
      const value = rng.next(A_NPB);
      const loc = rng.next(A_NPB);
      const i = Math.trunc(nn1 * loc) + 1;
      if (i > na || mark[i] === 1) continue;
      mark[i] = 1;
      v[nzv] = value;
      iv[nzv] = i;
      nzv++;
    }
    for (let k = 0; k < nzv; k++) mark[iv[k]!] = 0;
    // vecset: the entry at `outer` becomes 0.5.
    let set = false;
    for (let k = 0; k < nzv; k++) {
      if (iv[k] === outer) {
        v[k] = 0.5;
        set = true;
      }
    }
    if (!set) {
      v[nzv] = 0.5;
      iv[nzv] = outer;
      nzv++;
    }
    for (let a = 0; a < nzv; a++) {
      const jcol = iv[a]!;
      const scale = size * v[a]!;
      for (let b = 0; b < nzv; b++) {
        const irow = iv[b]!;
        if (irow - 1 >= firstRow && irow - 1 < lastRow) {
          tRow[nt] = irow - 1;
          tCol[nt] = jcol - 1;
          tVal[nt] = v[b]! * scale;
          nt++;
        }
      }
    }
    size *= ratio;
  }
  for (let i = firstRow; i < lastRow; i++) {
    tRow[nt] = i;
    tCol[nt] = i;
    tVal[nt] = rcond - shift;
    nt++;
  }

  // Stable bucket sort by row, then sum duplicates per row in arrival order.
  const nrows = lastRow - firstRow;
  const start = new Int32Array(nrows + 1);
  for (let t = 0; t < nt; t++) start[tRow[t]! - firstRow + 1]!++;
  for (let r = 0; r < nrows; r++) start[r + 1]! += start[r]!;
  const fill = start.slice(0, nrows);
  const sCol = new Int32Array(nt);
  const sVal = new Float64Array(nt);
  for (let t = 0; t < nt; t++) {
    const k = fill[tRow[t]! - firstRow]!++;
    sCol[k] = tCol[t]!;
    sVal[k] = tVal[t]!;
  }
  const acc = new Float64Array(na);
  const seen = new Uint8Array(na);
  const order = new Int32Array(na);
  const rowStart = new Int32Array(nrows + 1);
  const col = new Int32Array(nt);
  const val = new Float64Array(nt);
  let nz = 0;
  for (let r = 0; r < nrows; r++) {
    let count = 0;
    for (let k = start[r]!; k < start[r + 1]!; k++) {
      const c = sCol[k]!;
      acc[c]! += sVal[k]!;
      if (seen[c] === 0 && acc[c] !== 0) {
        seen[c] = 1;
        order[count++] = c;
      }
    }
    for (let k = 0; k < count; k++) {
      const c = order[k]!;
      seen[c] = 0;
      const x = acc[c]!;
      acc[c] = 0;
      if (x !== 0) {
        col[nz] = c;
        val[nz] = x;
        nz++;
      }
    }
    rowStart[r + 1] = nz;
  }
  return { rowStart, col: col.slice(0, nz), val: val.slice(0, nz) };
}
