// CG's matrix block of each rank is the whole matrix cut to the rank's rows
// and columns of NPB's process grid: the same entries, values and column
// order (a rank builds its block from only the vectors that reach it).
import { describe, expect, it } from "vitest";
import { cgGrid } from "../../bench/nas/cg-grid.ts";
import { type Csr, makeMatrix } from "../../bench/nas/cg-matrix.ts";
import { CG } from "../../bench/nas/verification.ts";

/** Rows [firstRow, lastRow) of `full`, keeping columns [firstCol, lastCol) counted from firstCol. */
function cut(full: Csr, firstRow: number, lastRow: number, firstCol: number, lastCol: number): { rowStart: number[]; col: number[]; val: number[] } {
  const rowStart = [0];
  const col: number[] = [];
  const val: number[] = [];
  for (let r = firstRow; r < lastRow; r++) {
    for (let k = full.rowStart[r]!; k < full.rowStart[r + 1]!; k++) {
      const c = full.col[k]!;
      if (c >= firstCol && c < lastCol) {
        col.push(c - firstCol);
        val.push(full.val[k]!);
      }
    }
    rowStart.push(col.length);
  }
  return { rowStart, col, val };
}

describe("CG's matrix blocks", () => {
  const { na, nonzer, shift } = CG.classes.S;
  const full = makeMatrix(na, nonzer, shift, CG.rcond, 0, na);

  for (const np of [2, 8, 32]) {
    it(`each of ${np} ranks' blocks is the whole class S matrix cut to its rows and columns`, () => {
      for (let me = 0; me < np; me++) {
        const g = cgGrid(na, np, me);
        const block = makeMatrix(na, nonzer, shift, CG.rcond, g.firstRow, g.lastRow, g.firstCol, g.lastCol);
        const want = cut(full, g.firstRow, g.lastRow, g.firstCol, g.lastCol);
        expect([...block.rowStart]).toEqual(want.rowStart);
        expect([...block.col]).toEqual(want.col);
        expect([...block.val]).toEqual(want.val);
      }
    });
  }
});
