/**
 * CG's test matrix (NPB makea / sprnvc / vecset / sparse): a sum of na
 * scaled outer products of random sparse vectors, plus (rcond − shift) on the
 * diagonal, kept only for this rank's block, rows [firstRow, lastRow) ×
 * columns [firstCol, lastCol) of NPB's 2-D process grid, and stored as CSR
 * with column numbers counted from firstCol. Each vector touches rows and
 * columns anywhere, so every rank needs all na of them. Duplicates are summed
 * in generation order, as sparse() does, so each row's values and column
 * order match NPB's exactly. After NPB3.4-MPI/CG/cg.f.
 */
import { A_NPB, Randlc } from "./common/randlc.ts";

export interface Csr {
  rowStart: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

/** The na random sparse vectors of makea, flattened: vector k's entries are [start[k], start[k+1]) of index (0-based) and value, times scale[k]. */
interface Vectors {
  key: string;
  start: Int32Array;
  index: Int32Array;
  value: Float64Array;
  scale: Float64Array;
  /** The vectors each index appears in, ascending: those of index i are holders[holderStart[i]..holderStart[i+1]) (made on first use). */
  holderStart?: Int32Array;
  holders?: Int32Array;
}

/**
 * The vectors with an entry in rows [firstRow, lastRow) and one in columns
 * [firstCol, lastCol), ascending: the only ones that put anything in that
 * block. A rank of a 1024-rank grid owns 1/32 of the rows and of the
 * columns, and scanning all na vectors twice per rank was most of a
 * simulated 1024-rank CG's set-up.
 */
function vectorsTouching(v: Vectors, na: number, firstRow: number, lastRow: number, firstCol: number, lastCol: number): Int32Array {
  if (!v.holderStart || !v.holders) {
    const holderStart = new Int32Array(na + 1);
    for (let e = 0; e < v.start[na]!; e++) holderStart[v.index[e]! + 1]!++;
    for (let i = 0; i < na; i++) holderStart[i + 1]! += holderStart[i]!;
    const fill = holderStart.slice(0, na);
    const holders = new Int32Array(holderStart[na]!);
    for (let k = 0; k < na; k++) for (let e = v.start[k]!; e < v.start[k + 1]!; e++) holders[fill[v.index[e]!]!++] = k;
    v.holderStart = holderStart;
    v.holders = holders;
  }
  const { holderStart, holders } = v;
  // Bit 1: the vector has an entry in the rows; bit 2: in the columns.
  const mark = new Uint8Array(na);
  for (let i = firstRow; i < lastRow; i++) for (let h = holderStart[i]!; h < holderStart[i + 1]!; h++) mark[holders[h]!]! |= 1;
  let n = 0;
  for (let i = firstCol; i < lastCol; i++) {
    for (let h = holderStart[i]!; h < holderStart[i + 1]!; h++) {
      const k = holders[h]!;
      if (mark[k] === 1) n++;
      mark[k]! |= 2;
    }
  }
  const out = new Int32Array(n);
  for (let k = 0, j = 0; k < na; k++) if (mark[k] === 3) out[j++] = k;
  return out;
}

/**
 * The last vectors made. Every rank draws the same ones; ranks that share a
 * thread (the simulator runs all of them in one) draw them once, which at
 * 1024 ranks is most of the set-up.
 */
let made: Vectors | undefined;

function vectors(na: number, nonzer: number, rcond: number): Vectors {
  const key = `${na}/${nonzer}/${rcond}`;
  if (made?.key === key) return made;
  const rng = new Randlc(314159265);
  rng.next(A_NPB); // cg.f throws one value away (zeta = randlc(tran, amult)) before makea
  let nn1 = 1;
  while (nn1 < na) nn1 *= 2;
  const start = new Int32Array(na + 1);
  const index = new Int32Array(na * (nonzer + 1));
  const value = new Float64Array(na * (nonzer + 1));
  const scale = new Float64Array(na);
  const mark = new Uint8Array(na + 1);
  const ratio = rcond ** (1 / na);
  let size = 1;
  let at = 0;
  for (let outer = 1; outer <= na; outer++) {
    // sprnvc: nonzer distinct positions in 1..na; each candidate costs two draws.
    const first = at;
    while (at - first < nonzer) {
      const v = rng.next(A_NPB);
      const loc = rng.next(A_NPB);
      const i = Math.trunc(nn1 * loc) + 1;
      if (i > na || mark[i] === 1) continue;
      mark[i] = 1;
      value[at] = v;
      index[at] = i - 1;
      at++;
    }
    for (let k = first; k < at; k++) mark[index[k]! + 1] = 0;
    // vecset: the entry at `outer` becomes 0.5.
    let set = false;
    for (let k = first; k < at; k++) {
      if (index[k] === outer - 1) {
        value[k] = 0.5;
        set = true;
      }
    }
    if (!set) {
      value[at] = 0.5;
      index[at] = outer - 1;
      at++;
    }
    start[outer] = at;
    scale[outer - 1] = size;
    size *= ratio;
  }
  made = { key, start, index, value, scale };
  return made;
}

export function makeMatrix(
  na: number,
  nonzer: number,
  shift: number,
  rcond: number,
  firstRow: number,
  lastRow: number,
  firstCol = 0,
  lastCol = na,
): Csr {
  const drawn = vectors(na, nonzer, rcond);
  const { start: vs, index, value, scale } = drawn;
  // Only vectors with entries in this block's rows and columns put anything in it; taken in generation order.
  const touching = vectorsTouching(drawn, na, firstRow, lastRow, firstCol, lastCol);
  const inRows = (i: number): boolean => i >= firstRow && i < lastRow;
  const inCols = (i: number): boolean => i >= firstCol && i < lastCol;
  // Count this block's triplets first, so each rank allocates only its share.
  let count = 0;
  for (const k of touching) {
    let rows = 0;
    let cols = 0;
    for (let e = vs[k]!; e < vs[k + 1]!; e++) {
      if (inRows(index[e]!)) rows++;
      if (inCols(index[e]!)) cols++;
    }
    count += rows * cols;
  }
  const diagonalFrom = Math.max(firstRow, firstCol);
  const diagonalTo = Math.min(lastRow, lastCol);
  count += Math.max(0, diagonalTo - diagonalFrom);
  const tRow = new Int32Array(count);
  const tCol = new Int32Array(count);
  const tVal = new Float64Array(count);
  let nt = 0;
  for (const k of touching) {
    for (let a = vs[k]!; a < vs[k + 1]!; a++) {
      const jcol = index[a]!;
      if (!inCols(jcol)) continue;
      const s = scale[k]! * value[a]!;
      for (let b = vs[k]!; b < vs[k + 1]!; b++) {
        const irow = index[b]!;
        if (inRows(irow)) {
          tRow[nt] = irow;
          tCol[nt] = jcol - firstCol;
          tVal[nt] = value[b]! * s;
          nt++;
        }
      }
    }
  }
  for (let i = diagonalFrom; i < diagonalTo; i++) {
    tRow[nt] = i;
    tCol[nt] = i - firstCol;
    tVal[nt] = rcond - shift;
    nt++;
  }

  // Stable bucket sort by row, then sum duplicates per row in arrival order.
  const nrows = lastRow - firstRow;
  const ncols = lastCol - firstCol;
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
  const acc = new Float64Array(ncols);
  const seen = new Uint8Array(ncols);
  const order = new Int32Array(ncols);
  const rowStart = new Int32Array(nrows + 1);
  const col = new Int32Array(nt);
  const val = new Float64Array(nt);
  let nz = 0;
  for (let r = 0; r < nrows; r++) {
    let n = 0;
    for (let k = start[r]!; k < start[r + 1]!; k++) {
      const c = sCol[k]!;
      acc[c]! += sVal[k]!;
      if (seen[c] === 0 && acc[c] !== 0) {
        seen[c] = 1;
        order[n++] = c;
      }
    }
    for (let k = 0; k < n; k++) {
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
