/**
 * NPB CG: inverse power method; each outer iteration solves A z = x with 25
 * unpreconditioned CG steps, then zeta = shift + 1/(x·z), x = z/‖z‖.
 *
 * Distribution: NPB's 2-D process grid (cg-grid.ts): each rank holds a
 * block of the matrix and the vectors over its column block; a product is
 * summed across the process row and swapped with the transpose partner, and
 * dot products are summed across the process row by NPB's pairwise
 * exchanges (recursive doubling). Each CG step so exchanges with about
 * 3·log2(npcols) + 1 partners, where an all-gather of the vector needs np − 1
 * (a 1024-rank simulation is otherwise a million frames a step). The matrix
 * is NPB's entry for entry, so zeta agrees to summation order.
 * Process count: a power of two, as NPB requires. After NPB3.4-MPI/CG/cg.f.
 */
import { type Comm, Op, waitall } from "tsmpi";
import { isPowerOfTwo, parseClass } from "./common/cli.ts";
import { PairwiseSum } from "./common/reduce.ts";
import { profiled } from "./common/profile.ts";
import { finish, type NasResult } from "./common/report.ts";
import { cpuLine, startTimer } from "./common/timer.ts";
import { cgGrid } from "./cg-grid.ts";
import { type Csr, makeMatrix } from "./cg-matrix.ts";
import { CG, type NasClass, relativeError, withinTolerance } from "./verification.ts";

/**
 * y = A·full over this rank's rows. Two partial sums per row break the
 * add-latency chain (about 25% faster here); this reorders each row's sum
 * relative to NPB's single accumulator, a difference of a few ulps. The loop
 * is unrolled by eight (even entries into s0, odd into s1, so the sums are
 * the same as two-at-a-time): V8 re-checks each typed array's map and length
 * on every loop trip, and eight entries per trip share one check (class W,
 * 508k entries: 0.93 -> 0.62 ms per product).
 */
function spmv(m: Csr, full: Float64Array, y: Float64Array): void {
  const rs = m.rowStart;
  const col = m.col;
  const val = m.val;
  const n = y.length;
  for (let r = 0; r < n; r++) {
    let s0 = 0;
    let s1 = 0;
    const end = rs[r + 1]!;
    let k = rs[r]!;
    for (; k + 7 < end; k += 8) {
      s0 += val[k]! * full[col[k]!]!;
      s1 += val[k + 1]! * full[col[k + 1]!]!;
      s0 += val[k + 2]! * full[col[k + 2]!]!;
      s1 += val[k + 3]! * full[col[k + 3]!]!;
      s0 += val[k + 4]! * full[col[k + 4]!]!;
      s1 += val[k + 5]! * full[col[k + 5]!]!;
      s0 += val[k + 6]! * full[col[k + 6]!]!;
      s1 += val[k + 7]! * full[col[k + 7]!]!;
    }
    for (; k + 1 < end; k += 2) {
      s0 += val[k]! * full[col[k]!]!;
      s1 += val[k + 1]! * full[col[k + 1]!]!;
    }
    if (k < end) s0 += val[k]! * full[col[k]!]!;
    y[r] = s0 + s1;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

// The vector kernels are plain top-level functions over typed-array
// arguments (not closures), so each compiles to one tight monomorphic loop.

/** Σ p[off+i]·q[i]. */
function dotAt(p: Float64Array, off: number, q: Float64Array): number {
  let s = 0;
  for (let i = 0; i < q.length; i++) s += p[off + i]! * q[i]!;
  return s;
}

/** z += alpha·p[off..], r −= alpha·q. */
function step(z: Float64Array, r: Float64Array, p: Float64Array, off: number, q: Float64Array, alpha: number): void {
  for (let i = 0; i < z.length; i++) {
    z[i] = z[i]! + alpha * p[off + i]!;
    r[i] = r[i]! - alpha * q[i]!;
  }
}

/** p[off+i] = g[i] + beta·p[off+i] for i < len. */
function direction(p: Float64Array, off: number, g: Float64Array, len: number, beta: number): void {
  for (let i = 0; i < len; i++) p[off + i] = g[i]! + beta * p[off + i]!;
}

/** conj_grad's start: z = 0, r = p = x. */
function startCg(x: Float64Array, z: Float64Array, r: Float64Array, p: Float64Array): void {
  for (let i = 0; i < x.length; i++) {
    z[i] = 0;
    r[i] = x[i]!;
    p[i] = x[i]!;
  }
}

/** Σ (x − q)². */
function distance2(x: Float64Array, q: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - q[i]!;
    s += d * d;
  }
  return s;
}

/** out = [x·z, z·z]. */
function dots(x: Float64Array, z: Float64Array, out: Float64Array): void {
  let xz = 0;
  let zz = 0;
  for (let i = 0; i < x.length; i++) {
    xz += x[i]! * z[i]!;
    zz += z[i]! * z[i]!;
  }
  out[0] = xz;
  out[1] = zz;
}

/** x = scale·z. */
function scaleInto(x: Float64Array, z: Float64Array, scale: number): void {
  for (let i = 0; i < x.length; i++) x[i] = scale * z[i]!;
}

/** w[at+j] += got[j]: one step of the row sum. */
function addInto(w: Float64Array, at: number, got: Float64Array): void {
  for (let j = 0; j < got.length; j++) w[at + j] = w[at + j]! + got[j]!;
}

/**
 * Whether this thread has warmed the kernels (V8's feedback is per thread,
 * and the simulator runs every rank in one).
 */
let warmed = false;

/**
 * Many short calls of every loop before the first long one. The first
 * product is 0.6 ms (class W); as the first call of spmv it was compiled by
 * on-stack replacement of its loop alone, the whole-function code that
 * followed lacked feedback for the lines before the loop and was
 * deoptimised, and spmv then ran from the interpreter into the loop's code
 * until V8 optimised it again in the middle of the timed region (or not at
 * all): the same binary took 0.29 to 0.45 CPU seconds (quiet, class W).
 */
function warm(m: Csr, full: Float64Array, rows: number): void {
  if (warmed) return;
  warmed = true;
  const y = new Float64Array(Math.min(rows, 16));
  const a = new Float64Array(64);
  const b = new Float64Array(64);
  const c = new Float64Array(64);
  const d = new Float64Array(64);
  const two = new Float64Array(2);
  for (let i = 0; i < 300; i++) {
    spmv(m, full, y);
    startCg(a, b, c, d);
    step(b, c, d, 0, a, dot(a, a) + dotAt(d, 0, a));
    direction(d, 0, c, 64, distance2(a, b));
    dots(a, b, two);
    scaleInto(a, b, 1);
    addInto(a, 0, b);
  }
}

export async function runCg(world: Comm, cls: NasClass, out?: (line: string) => void): Promise<NasResult> {
  const p = CG.classes[cls];
  const np = world.size;
  const me = world.rank;
  if (!isPowerOfTwo(np)) throw new Error(`CG: needs a power-of-two process count, got ${np}`);
  const { na, nonzer, niter, shift } = p;
  const grid = cgGrid(na, np, me);
  const { firstRow, lastRow, firstCol, lastCol, sendStart, sendLength, transpose, reduce } = grid;
  const rows = lastRow - firstRow;
  const n = lastCol - firstCol;
  const matrix = makeMatrix(na, nonzer, shift, CG.rcond, firstRow, lastRow, firstCol, lastCol);

  // The vectors are this rank's column block (NPB's x, z, p, q, r); w is the row block of a product.
  const x = new Float64Array(n);
  const z = new Float64Array(n);
  const r = new Float64Array(n);
  const pv = new Float64Array(n);
  const q = new Float64Array(n);
  const w = new Float64Array(rows);
  const incoming = new Float64Array(Math.max(rows, n));
  // Sums across the process row: its column blocks cover every index once.
  const dsum = new PairwiseSum(world, 1, 60001, reduce);
  const pairSum = new PairwiseSum(world, 2, 60002, reduce);

  // The views each exchange sends from and receives into, made once.
  const gotViews = reduce.map((_, i) => incoming.subarray(sendStart, sendStart + grid.reduceRecvLength[i]!));
  const sendViews = reduce.map((_, i) => w.subarray(grid.reduceSendStart[i]!, grid.reduceSendStart[i]! + grid.reduceSendLength[i]!));
  const mine = w.subarray(sendStart, sendStart + sendLength);

  /** into = (A·v) over this rank's columns: the row block's product summed across the process row, then swapped with the transpose partner. */
  const product = async (v: Float64Array, into: Float64Array): Promise<void> => {
    spmv(matrix, v, w);
    for (let i = reduce.length - 1; i >= 0; i--) {
      await waitall([world.irecvInto(gotViews[i]!, reduce[i]!, 60010 + i), world.isend(sendViews[i]!, reduce[i]!, 60010 + i)]);
      addInto(w, sendStart, gotViews[i]!);
    }
    if (reduce.length === 0) into.set(w.subarray(0, n));
    // A rank that is its own transpose partner (a 1 × 2 grid, the diagonal of a square one) copies; NPB sends to itself.
    else if (transpose === me) into.set(mine);
    else await waitall([world.irecvInto(into, transpose, 60009), world.isend(mine, transpose, 60009)]);
  };

  /** 25 CG steps on A z = x from z = 0; returns ‖x − A z‖. */
  const conjGrad = async (): Promise<number> => {
    startCg(x, z, r, pv);
    dsum.values[0] = dot(r, r);
    let rho = (await dsum.run())[0]!;
    for (let it = 0; it < CG.cgitmax; it++) {
      await product(pv, q);
      dsum.values[0] = dotAt(pv, 0, q);
      const d = (await dsum.run())[0]!;
      const alpha = rho / d;
      const rho0 = rho;
      step(z, r, pv, 0, q, alpha);
      dsum.values[0] = dot(r, r);
      rho = (await dsum.run())[0]!;
      const beta = rho / rho0;
      direction(pv, 0, r, n, beta);
    }
    // Explicit residual ‖x − A z‖ (printed, as NPB does; not part of verification).
    await product(z, q);
    dsum.values[0] = distance2(x, q);
    return Math.sqrt((await dsum.run())[0]!);
  };

  /** One outer iteration: returns zeta and replaces x by z/‖z‖. */
  const outer = async (): Promise<{ zeta: number; rnorm: number }> => {
    const rnorm = await conjGrad();
    dots(x, z, pairSum.values);
    const tot = await pairSum.run();
    scaleInto(x, z, 1 / Math.sqrt(tot[1]!));
    return { zeta: shift + 1 / tot[0]!, rnorm };
  };

  warm(matrix, pv, rows);
  x.fill(1);
  await outer(); // untimed warm-up, as cg.f does
  x.fill(1);
  await world.barrier();
  const stop = startTimer();
  let zeta = 0;
  const trace: string[] = [];
  for (let it = 1; it <= niter; it++) {
    const res = await outer();
    zeta = res.zeta;
    trace.push(`  iteration ${String(it).padStart(3)}  ||r|| = ${res.rnorm.toExponential(14)}  zeta = ${zeta}`);
  }
  const elapsed = stop();
  const time = await world.allreduce(elapsed.wall, Op.MAX);

  const err = relativeError(zeta, p.zeta);
  const verified = withinTolerance(err, CG.tolerance);
  const nzr = nonzer * (nonzer + 1);
  const mops = (1e-6 * 2 * niter * na * (3 + nzr + 25 * (5 + nzr) + 3)) / time;
  return finish(
    me,
    {
      kernel: "CG",
      class: cls,
      np,
      time,
      mops,
      verified,
      values: { zeta },
      size: String(na),
      iterations: niter,
      activeProcesses: np,
      details: [...trace, `zeta = ${zeta}  (reference ${p.zeta}, relative error ${err})`, cpuLine(elapsed, mops, time)],
    },
    out,
  );
}

export default async function main(world: Comm, args: string[]): Promise<NasResult> {
  return profiled(world, "CG", () => runCg(world, parseClass(args, "CG"), undefined));
}
