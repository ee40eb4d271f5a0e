/**
 * NPB MG: V-cycle multigrid for the 3-D Poisson equation on a periodic grid.
 *
 * Distribution: z-slabs. Fine levels are split into contiguous z-planes with
 * one ghost plane exchanged with each z-neighbour after every operator; once
 * a level has fewer than COARSE_PLANES planes per rank, it and every coarser
 * level are kept whole on every rank (the restricted residual is all-gathered
 * once per V-cycle) and computed redundantly — NPB's MPI code instead lets
 * ranks with no coarse points drop out. The operators and their rounding are
 * NPB's (mg-ops.ts). Process count: the largest power of two ≤ np works, the
 * other ranks idle, as in NPB. After NPB3.4-MPI/MG/mg.f.
 */
import { type Comm, Op, UNDEFINED } from "tsmpi";
import { floorPowerOfTwo, parseClass } from "./common/cli.ts";
import { allgatherInto } from "./common/exchange.ts";
import { A_NPB, Randlc, vranlc } from "./common/randlc.ts";
import { profiled } from "./common/profile.ts";
import { finish, type NasResult } from "./common/report.ts";
import { cpuLine, startTimer } from "./common/timer.ts";
import { interpPlane, periodicXY, psinv, resid, rprj3 } from "./mg-ops.ts";
import { MG, type NasClass, relativeError, withinTolerance } from "./verification.ts";

/** Below this many z-planes per rank a level is replicated instead of split (estimate: halo latency beats the redundant work). */
const COARSE_PLANES = 16;
const SEED = 314159265;
const EXTREMES = 10;
const TAG_UP = 7001;
const TAG_DOWN = 7002;

interface Level {
  n: number; // interior points per side
  n1: number; // n + 2 (x and y extents with ghosts)
  n3: number; // local planes + 2
  planes: number; // local interior planes
  z0: number; // global index of the first local interior plane
  split: boolean; // distributed (true) or whole on every rank
  u: Float64Array;
  r: Float64Array;
}

export async function runMg(world: Comm, cls: NasClass, out?: (line: string) => void): Promise<NasResult | undefined> {
  const ref = MG.classes[cls];
  const active = floorPowerOfTwo(world.size);
  const comm = await world.split(world.rank < active ? 0 : UNDEFINED, world.rank);
  if (!comm) return undefined; // idle rank, as NPB's extra processes
  const np = comm.size;
  const me = comm.rank;
  const { n, nit } = ref;
  if (np > n) throw new Error(`MG class ${cls}: at most ${n} active processes, got ${np}`);
  const lt = Math.log2(n);
  const a = MG.a;
  const c = cls === "S" || cls === "W" || cls === "A" ? MG.smootherA : MG.smootherB;

  const levels: Level[] = [];
  for (let k = 1; k <= lt; k++) {
    const nk = n >> (lt - k);
    const split = np > 1 && (k === lt || nk >= COARSE_PLANES * np);
    const planes = split ? (nk / np) | 0 : nk; // a small integer, not a double (see is.ts)
    const n1 = nk + 2;
    const size = n1 * n1 * (planes + 2);
    levels[k] = { n: nk, n1, n3: planes + 2, planes, z0: split ? me * planes : 0, split, u: new Float64Array(size), r: new Float64Array(size) };
  }
  const top = levels[lt]!;
  const v = new Float64Array(top.u.length);
  // Whole copy of the finest split level, used to restrict onto the first replicated level.
  let kd = 0;
  for (let k = 2; k <= lt; k++) if (levels[k]!.split && !levels[k - 1]!.split) kd = k;
  const whole = kd ? new Float64Array(levels[kd]!.n1 ** 2 * (levels[kd]!.n + 2)) : new Float64Array(0);
  const wholeBlocks = kd
    ? Array.from({ length: np }, (_, q) => {
        const L = levels[kd]!;
        const plane = L.n1 * L.n1;
        return whole.subarray((1 + q * L.planes) * plane, (1 + (q + 1) * L.planes) * plane);
      })
    : [];
  const normOut = new Float64Array(2);
  const up = (me + 1) % np;
  const down = (me - 1 + np) % np;

  /** Ghost exchange for one level's array (comm3): x, y locally, then z planes. */
  const comm3 = async (L: Level, x: Float64Array): Promise<void> => {
    const plane = L.n1 * L.n1;
    periodicXY(x, L.n1, L.n1, 1, L.planes);
    if (!L.split) {
      x.copyWithin(0, L.planes * plane, (L.planes + 1) * plane);
      x.copyWithin((L.planes + 1) * plane, plane, 2 * plane);
      return;
    }
    const fromBelow = comm.irecvInto(x.subarray(0, plane), down, TAG_UP);
    const fromAbove = comm.irecvInto(x.subarray((L.planes + 1) * plane, (L.planes + 2) * plane), up, TAG_DOWN);
    const toAbove = comm.isend(x.subarray(L.planes * plane, (L.planes + 1) * plane), up, TAG_UP);
    const toBelow = comm.isend(x.subarray(plane, 2 * plane), down, TAG_DOWN);
    await Promise.all([fromBelow, fromAbove, toAbove, toBelow]);
  };

  const residual = async (L: Level, vv: Float64Array): Promise<void> => {
    resid(L.u, vv, L.r, L.n1, L.n1, L.n3, a);
    await comm3(L, L.r);
  };
  const smooth = async (L: Level): Promise<void> => {
    psinv(L.r, L.u, L.n1, L.n1, L.n3, c);
    await comm3(L, L.u);
  };
  const restrict = async (fine: Level, coarse: Level): Promise<void> => {
    let src = fine.r;
    if (fine.split && !coarse.split) {
      await allgatherInto(comm, fine.r.subarray(fine.n1 * fine.n1, (fine.planes + 1) * fine.n1 * fine.n1), wholeBlocks, TAG_UP + 2);
      const plane = fine.n1 * fine.n1;
      whole.copyWithin(0, fine.n * plane, (fine.n + 1) * plane);
      whole.copyWithin((fine.n + 1) * plane, plane, 2 * plane);
      src = whole;
    }
    rprj3(src, fine.n1, fine.n1, coarse.r, coarse.n1, coarse.n1, coarse.n3);
    await comm3(coarse, coarse.r);
  };
  const prolong = async (coarse: Level, fine: Level): Promise<void> => {
    for (let fl = 1; fl <= fine.planes; fl++) {
      const g = fine.z0 + fl; // global plane index, ghost-based
      const cz = (g >> 1) - coarse.z0;
      interpPlane(coarse.u, coarse.n1, coarse.n1, cz, (g & 1) === 1, fine.u, fine.n1, fine.n1, fl);
    }
    await comm3(fine, fine.u);
  };

  const vcycle = async (): Promise<void> => {
    for (let k = lt; k >= 2; k--) await restrict(levels[k]!, levels[k - 1]!);
    const bottom = levels[1]!;
    bottom.u.fill(0);
    await smooth(bottom);
    for (let k = 2; k < lt; k++) {
      const L = levels[k]!;
      L.u.fill(0);
      await prolong(levels[k - 1]!, L);
      await residual(L, L.r);
      await smooth(L);
    }
    await prolong(levels[lt - 1]!, top);
    await residual(top, v);
    await smooth(top);
  };

  const norm = async (): Promise<{ rnm2: number; rnmu: number }> => {
    normParts(top.r, top.n, top.n1, top.planes, normOut);
    const sum = await comm.allreduce(normOut[0]!, Op.SUM);
    const max = await comm.allreduce(normOut[1]!, Op.MAX);
    return { rnm2: Math.sqrt(sum / (n * n * n)), rnmu: max };
  };

  /** zran3: random v, then +1 at the 10 largest points, −1 at the 10 smallest, 0 elsewhere. */
  const makeRhs = async (): Promise<void> => {
    const L = top;
    const rng = new Randlc(SEED);
    rng.jumpAhead(A_NPB, n * n * L.z0);
    let x = rng.x;
    v.fill(0);
    for (let i3 = 1; i3 <= L.planes; i3++) for (let i2 = 1; i2 <= n; i2++) x = vranlc(n, x, A_NPB, v, (i3 * L.n1 + i2) * L.n1 + 1);
    // Local candidates: [value, global linear index] of the largest and smallest EXTREMES.
    const hi: number[] = [];
    const lo: number[] = [];
    for (let i3 = 1; i3 <= L.planes; i3++) {
      for (let i2 = 1; i2 <= n; i2++) {
        const o = (i3 * L.n1 + i2) * L.n1;
        for (let i1 = 1; i1 <= n; i1++) {
          const val = v[o + i1]!;
          const gi = i1 - 1 + n * (i2 - 1 + n * (L.z0 + i3 - 1));
          if (hi.length < 2 * EXTREMES || val > hi[hi.length - 2]!) insert(hi, val, gi, (p, q) => p > q);
          if (lo.length < 2 * EXTREMES || val < lo[lo.length - 2]!) insert(lo, val, gi, (p, q) => p < q);
        }
      }
    }
    const all = await comm.allgather([hi, lo]);
    const ghi: number[] = [];
    const glo: number[] = [];
    for (const [h, l] of all) {
      for (let i = 0; i < h.length; i += 2) insert(ghi, h[i]!, h[i + 1]!, (p, q) => p > q);
      for (let i = 0; i < l.length; i += 2) insert(glo, l[i]!, l[i + 1]!, (p, q) => p < q);
    }
    v.fill(0);
    const place = (list: number[], value: number): void => {
      for (let i = 1; i < list.length; i += 2) {
        const gi = list[i]!;
        const gz = Math.floor(gi / (n * n));
        const i3 = gz - L.z0 + 1;
        if (i3 < 1 || i3 > L.planes) continue;
        const rem = gi - gz * n * n;
        const i2 = Math.floor(rem / n) + 1;
        const i1 = (rem % n) + 1;
        v[(i3 * L.n1 + i2) * L.n1 + i1] = value;
      }
    };
    place(glo, -1);
    place(ghi, 1);
    await comm3(L, v);
  };

  // Setup and one untimed V-cycle, then start again inside the timer (as mg.f does).
  warm(a, c);
  top.u.fill(0);
  await makeRhs();
  await residual(top, v);
  await norm();
  await vcycle();
  await residual(top, v);
  top.u.fill(0);
  await makeRhs();
  await comm.barrier();
  const stop = startTimer();
  await residual(top, v);
  await norm();
  for (let it = 1; it <= nit; it++) {
    await vcycle();
    await residual(top, v);
  }
  const { rnm2, rnmu } = await norm();
  const elapsed = stop();
  const time = await comm.allreduce(elapsed.wall, Op.MAX);

  const err = relativeError(rnm2, ref.rnm2);
  const verified = withinTolerance(err, MG.tolerance);
  const mops = (58 * nit * n * n * n) / time / 1e6;
  return finish(
    me,
    {
      kernel: "MG",
      class: cls,
      np: world.size,
      time,
      mops,
      verified,
      values: { rnm2 },
      size: `${n}x${n}x${n}`,
      iterations: nit,
      activeProcesses: np,
      details: [`L2 norm rnm2 = ${rnm2}  (reference ${ref.rnm2}, relative error ${err})`, `max |r| = ${rnmu}`, cpuLine(elapsed, mops, time)],
    },
    out,
  );
}

/**
 * out = [Σ r², max |r|] over the level's interior points (a plain function:
 * see is.ts on loops in closures). Four partial sums, one per column mod 4,
 * break the chain of dependent additions (one add's latency per point
 * otherwise); the order of the sum differs from NPB's single accumulator by
 * rounding, about 1e-16 relative, against a tolerance of 1e-8.
 */
function normParts(r: Float64Array, n: number, n1: number, planes: number, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let mx = 0;
  for (let i3 = 1; i3 <= planes; i3++) {
    for (let i2 = 1; i2 <= n; i2++) {
      const o = (i3 * n1 + i2) * n1;
      let i1 = 1;
      for (; i1 + 3 <= n; i1 += 4) {
        const x0 = r[o + i1]!;
        const x1 = r[o + i1 + 1]!;
        const x2 = r[o + i1 + 2]!;
        const x3 = r[o + i1 + 3]!;
        s0 += x0 * x0;
        s1 += x1 * x1;
        s2 += x2 * x2;
        s3 += x3 * x3;
        // Each against the running maximum: a new maximum is rare, so the branches are predicted (see ep.ts on Math.max).
        if (Math.abs(x0) > mx) mx = Math.abs(x0);
        if (Math.abs(x1) > mx) mx = Math.abs(x1);
        if (Math.abs(x2) > mx) mx = Math.abs(x2);
        if (Math.abs(x3) > mx) mx = Math.abs(x3);
      }
      for (; i1 <= n; i1++) {
        const x = r[o + i1]!;
        s0 += x * x;
        if (Math.abs(x) > mx) mx = Math.abs(x);
      }
    }
  }
  out[0] = s0 + s1 + (s2 + s3);
  out[1] = mx;
}

/**
 * Whether this thread has warmed the operators (V8's feedback is per thread,
 * and the simulator runs every rank in one).
 */
let warmed = false;

/**
 * Many short calls of every operator on a small grid before the first long
 * one. The first resid is on the finest level (2.2 M points at class W): as
 * a first call it was compiled by on-stack replacement of its loop alone,
 * the whole-function code that followed lacked feedback for the lines before
 * the loop and was deoptimised, and the operators ran from the interpreter
 * into their loops' code, some re-optimised in the middle of the timed
 * region: the same binary took 0.25 to 0.39 CPU seconds (quiet, class W).
 */
function warm(a: readonly number[], c: readonly number[]): void {
  if (warmed) return;
  warmed = true;
  // 8³ interior points with ghosts, and 7³ for the paths only odd sizes take (reached first later, they would deoptimise).
  const grids = [10, 9].map((n1) => ({ n1, u: new Float64Array(n1 ** 3), v: new Float64Array(n1 ** 3), r: new Float64Array(n1 ** 3) }));
  const coarse = new Float64Array(6 * 6 * 6);
  const out = new Float64Array(2);
  for (let i = 0; i < 200; i++) {
    for (const { n1, u, v, r } of grids) {
      for (let k = 0; k < v.length; k++) v[k] = ((k * 7919) % 211) / 211 - 0.5;
      u.fill(0);
      resid(u, v, r, n1, n1, n1, a);
      psinv(r, u, n1, n1, n1, c);
      periodicXY(u, n1, n1, 1, n1 - 2);
      normParts(r, n1 - 2, n1, n1 - 2, out);
    }
    const { u, r } = grids[0]!;
    rprj3(r, 10, 10, coarse, 6, 6, 6);
    interpPlane(coarse, 6, 6, 1, false, u, 10, 10, 2);
    interpPlane(coarse, 6, 6, 1, true, u, 10, 10, 3);
  }
}

/** Keep `list` = [value, index, value, index, ...] sorted best-first, at most EXTREMES pairs. */
function insert(list: number[], value: number, index: number, better: (p: number, q: number) => boolean): void {
  let pos = list.length;
  while (pos > 0 && better(value, list[pos - 2]!)) pos -= 2;
  if (pos >= 2 * EXTREMES) return;
  list.splice(pos, 0, value, index);
  if (list.length > 2 * EXTREMES) list.length = 2 * EXTREMES;
}

export default async function main(world: Comm, args: string[]): Promise<NasResult | undefined> {
  return profiled(world, "MG", () => runMg(world, parseClass(args, "MG"), undefined));
}
