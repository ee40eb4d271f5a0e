/**
 * NPB CG's 2-D process grid (setup_proc_info and setup_submatrix_info of
 * NPB3.4-MPI/CG/cg.f), 0-based with half-open ranges. np = nprows × npcols,
 * npcols = nprows or 2·nprows. Rank (row, col) holds the matrix block rows
 * R(row) × columns C(col), and the vectors over C(col), repeated down its
 * process column. A product A·p is summed across the process row (recursive
 * halving/doubling with the `reduce` partners), and each rank then swaps its
 * part with its transpose partner, which holds the matching columns. Sums of
 * dot products go across the process row only: the column blocks of one
 * process row cover every index once. Each step exchanges at most a row
 * block with log2(npcols) + 1 partners, instead of an all-gather with np − 1.
 */

export interface CgGrid {
  nprows: number;
  npcols: number;
  /** This rank's rows and columns, [first, last). */
  firstRow: number;
  lastRow: number;
  firstCol: number;
  lastCol: number;
  /** The part of the row block this rank sums and sends to its transpose partner: [sendStart, sendStart + sendLength). */
  sendStart: number;
  sendLength: number;
  /** Who holds the columns matching this rank's summed rows. */
  transpose: number;
  /** Partners of the row sums, outermost first (NPB's reduce_exch_proc(1..l2npcols)). */
  reduce: number[];
  /** Per partner (same order): where this rank's send starts, how long it is, and how much it receives (at sendStart). */
  reduceSendStart: number[];
  reduceSendLength: number[];
  reduceRecvLength: number[];
}

/** [first, last) of part `i` of `n` elements split into `parts`, the first n mod parts one longer (NPB's uneven split). */
function split(n: number, parts: number, i: number): [number, number] {
  const base = Math.floor(n / parts);
  const extra = n - base * parts;
  if (extra === 0) return [i * base, (i + 1) * base];
  if (i < extra) return [i * (base + 1), (i + 1) * (base + 1)];
  const first = extra * (base + 1) + (i - extra) * base;
  return [first, first + base];
}

export function cgGrid(na: number, np: number, me: number): CgGrid {
  const logP = Math.round(Math.log2(np));
  const nprows = 2 ** Math.floor(logP / 2);
  const npcols = 2 ** (logP - Math.floor(logP / 2));
  const row = Math.floor(me / npcols);
  const col = me - row * npcols;
  const [firstRow, lastRow] = split(na, nprows, row);
  let firstCol: number;
  let lastCol: number;
  if (npcols === nprows) [firstCol, lastCol] = split(na, npcols, col);
  else {
    // Not square: columns split like rows, then each block halved between an even and an odd rank.
    const [f, l] = split(na, npcols / 2, col >> 1);
    const size = l - f;
    const firstHalf = Math.floor((size - 1) / 2) + 1;
    [firstCol, lastCol] = me % 2 === 0 ? [f, f + firstHalf] : [f + firstHalf, f + firstHalf + Math.floor(size / 2)];
  }
  const rows = lastRow - firstRow;
  let sendStart = 0;
  let sendLength = rows;
  if (npcols !== nprows) {
    const half = Math.floor((1 + rows) / 2);
    [sendStart, sendLength] = me % 2 === 0 ? [0, half] : [half, Math.floor(rows / 2)];
  }
  const transpose =
    npcols === nprows ? (me % nprows) * nprows + Math.floor(me / nprows) : 2 * ((Math.floor(me / 2) % nprows) * nprows + Math.floor(me / 2 / nprows)) + (me % 2);
  const levels = Math.round(Math.log2(npcols));
  const reduce: number[] = [];
  const reduceSendStart: number[] = [];
  const reduceSendLength: number[] = [];
  const reduceRecvLength: number[] = [];
  let div = npcols;
  for (let i = 0; i < levels; i++) {
    const j = ((col + div / 2) % div) + Math.floor(col / div) * div;
    reduce.push(row * npcols + j);
    div /= 2;
    if (npcols === nprows) {
      reduceSendStart.push(sendStart);
      reduceSendLength.push(sendLength);
      reduceRecvLength.push(rows);
    } else if (i === levels - 1) {
      // The innermost partner (the neighbour column) first: each sends the half the other sums.
      reduceRecvLength.push(sendLength);
      reduceSendLength.push(rows - sendLength);
      reduceSendStart.push(me % 2 === 0 ? sendStart + sendLength : 0);
    } else {
      reduceRecvLength.push(sendLength);
      reduceSendLength.push(sendLength);
      reduceSendStart.push(sendStart);
    }
  }
  return { nprows, npcols, firstRow, lastRow, firstCol, lastCol, sendStart, sendLength, transpose, reduce, reduceSendStart, reduceSendLength, reduceRecvLength };
}
