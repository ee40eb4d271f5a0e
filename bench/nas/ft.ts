/**
 * NPB FT: a 3-D FFT solution of the diffusion equation u_t = α∇²u.
 * Slab layout: rank r holds the z-planes [r·nz/np, (r+1)·nz/np) in physical
 * space (x fastest) and, after the forward transform, the y-rows
 * [r·ny/np, (r+1)·ny/np) in spectral space, stored (y, z, x). Each 3-D FFT is
 * local 2-D FFTs (x, y), one all-to-all transpose, local 1-D FFTs (z).
 * Process count: a power of two with np ≤ nz and np ≤ ny (NPB's 1-D layout).
 * After NPB3.4-MPI/FT/ft.f.
 */
import { type Comm, Op, wtime } from "tsmpi";
import { isPowerOfTwo, parseClass } from "./common/cli.ts";
import { alltoallInto } from "./common/exchange.ts";
import { A_NPB, Randlc, vranlc } from "./common/randlc.ts";
import { profiled } from "./common/profile.ts";
import { finish, type NasResult } from "./common/report.ts";
import { FftPlan, fftLines, fftRows } from "./fft.ts";
import { FT, type NasClass, withinTolerance } from "./verification.ts";

const SEED = 314159265;

export async function runFt(world: Comm, cls: NasClass, out?: (line: string) => void): Promise<NasResult> {
  const p = FT.classes[cls];
  const np = world.size;
  const me = world.rank;
  const { nx, ny, nz, niter } = p;
  if (!isPowerOfTwo(np) || np > nz || np > ny) {
    throw new Error(`FT class ${cls}: needs a power-of-two process count up to ${Math.min(ny, nz)}, got ${np}`);
  }
  const lz = nz / np;
  const ly = ny / np;
  const z0 = me * lz;
  const y0 = me * ly;
  const local = nx * ny * lz; // complex points per rank (same in both layouts)
  const block = 2 * nx * ly * lz; // doubles exchanged with each rank

  const physical = new Float64Array(2 * local); // [zl][y][x]
  const spectrum = new Float64Array(2 * local); // [yl][z][x], the evolving state
  const work = new Float64Array(2 * local); // [yl][z][x], inverse-transform scratch
  const twiddle = new Float64Array(local);
  const sendBuf = new Float64Array(2 * local);
  const recvBuf = new Float64Array(2 * local);
  const counts = new Array<number>(np).fill(block);
  const planX = new FftPlan(nx);
  const planY = new FftPlan(ny);
  const planZ = new FftPlan(nz);
  const rowX = 2 * nx;
  let tag = 0;

  const indexMap = (): void => {
    const ap = -4 * FT.alpha * Math.PI * Math.PI;
    let idx = 0;
    for (let yl = 0; yl < ly; yl++) {
      const j = y0 + yl;
      const jj = j < ny / 2 ? j : j - ny;
      for (let k = 0; k < nz; k++) {
        const kk = k < nz / 2 ? k : k - nz;
        for (let i = 0; i < nx; i++) {
          const ii = i < nx / 2 ? i : i - nx;
          twiddle[idx++] = Math.exp(ap * (ii * ii + jj * jj + kk * kk));
        }
      }
    }
  };

  const initialConditions = (): void => {
    const rng = new Randlc(SEED);
    rng.jumpAhead(A_NPB, 2 * nx * ny * z0);
    vranlc(2 * local, rng.x, A_NPB, physical, 0);
  };

  /** physical [zl][y][x] → spectrum-layout target [yl][z][x] through the all-to-all. */
  const toSpectral = async (target: Float64Array): Promise<void> => {
    for (let q = 0; q < np; q++) {
      let o = q * block;
      for (let zl = 0; zl < lz; zl++) {
        const from = (zl * ny + q * ly) * rowX;
        sendBuf.set(physical.subarray(from, from + ly * rowX), o);
        o += ly * rowX;
      }
    }
    await alltoallInto(world, sendBuf, counts, recvBuf, counts, (tag = (tag + 1) & 0xffff));
    for (let r = 0; r < np; r++) {
      let o = r * block;
      for (let zl = 0; zl < lz; zl++) {
        for (let yl = 0; yl < ly; yl++) {
          target.set(recvBuf.subarray(o, o + rowX), (yl * nz + r * lz + zl) * rowX);
          o += rowX;
        }
      }
    }
  };

  /** source [yl][z][x] → physical [zl][y][x]. */
  const toPhysical = async (source: Float64Array): Promise<void> => {
    for (let r = 0; r < np; r++) {
      let o = r * block;
      for (let yl = 0; yl < ly; yl++) {
        const from = (yl * nz + r * lz) * rowX;
        sendBuf.set(source.subarray(from, from + lz * rowX), o);
        o += lz * rowX;
      }
    }
    await alltoallInto(world, sendBuf, counts, recvBuf, counts, (tag = (tag + 1) & 0xffff));
    for (let q = 0; q < np; q++) {
      let o = q * block;
      for (let yl = 0; yl < ly; yl++) {
        for (let zl = 0; zl < lz; zl++) {
          physical.set(recvBuf.subarray(o, o + rowX), (zl * ny + q * ly + yl) * rowX);
          o += rowX;
        }
      }
    }
  };

  const forward = async (): Promise<void> => {
    for (let zl = 0; zl < lz; zl++) {
      const base = zl * ny * rowX;
      fftLines(planX, physical, base, ny, -1);
      fftRows(planY, physical, base, nx, -1);
    }
    await toSpectral(spectrum);
    for (let yl = 0; yl < ly; yl++) fftRows(planZ, spectrum, yl * nz * rowX, nx, -1);
  };

  const inverse = async (): Promise<void> => {
    for (let yl = 0; yl < ly; yl++) fftRows(planZ, work, yl * nz * rowX, nx, 1);
    await toPhysical(work);
    for (let zl = 0; zl < lz; zl++) {
      const base = zl * ny * rowX;
      fftRows(planY, physical, base, nx, 1);
      fftLines(planX, physical, base, ny, 1);
    }
  };

  const evolve = (): void => {
    for (let i = 0; i < local; i++) {
      const t = twiddle[i]!;
      spectrum[2 * i]! *= t;
      spectrum[2 * i + 1]! *= t;
    }
    work.set(spectrum);
  };

  const checksum = async (): Promise<[number, number]> => {
    let re = 0;
    let im = 0;
    for (let j = 1; j <= 1024; j++) {
      const s = (5 * j) % nz;
      if (s < z0 || s >= z0 + lz) continue;
      const q = j % nx;
      const r = (3 * j) % ny;
      const at = 2 * (((s - z0) * ny + r) * nx + q);
      re += physical[at]!;
      im += physical[at + 1]!;
    }
    const ntotal = nx * ny * nz;
    const sum = await world.allreduce(Float64Array.of(re / ntotal, im / ntotal), Op.SUM);
    return [sum[0]!, sum[1]!];
  };

  // Untimed pass to touch every page, then everything again inside the timer
  // (as ft.f does). Ours also runs one evolve/inverse/checksum step so that the
  // JIT has compiled every loop before the clock starts, as a native build is.
  indexMap();
  initialConditions();
  await forward();
  evolve();
  await inverse();
  await checksum();
  await world.barrier();
  const t0 = wtime();
  indexMap();
  initialConditions();
  await forward();
  const sums: [number, number][] = [];
  for (let it = 1; it <= niter; it++) {
    evolve();
    await inverse();
    sums.push(await checksum());
  }
  const elapsed = wtime() - t0;
  const time = await world.allreduce(elapsed, Op.MAX);

  let verified = true;
  const details: string[] = [];
  for (let i = 0; i < niter; i++) {
    const [re, im] = sums[i]!;
    const [rr, ri] = p.checksums[i]!;
    const err = Math.hypot(re - rr, im - ri) / Math.hypot(rr, ri);
    if (!withinTolerance(err, FT.tolerance)) verified = false;
    details.push(`T = ${String(i + 1).padStart(3)}   Checksum = ${re} ${im}   (relative error ${err})`);
  }
  const ntotal = nx * ny * nz;
  const mops = (1e-6 * ntotal * (14.8157 + 7.19641 * Math.log(ntotal) + (5.23518 + 7.21113 * Math.log(ntotal)) * niter)) / time;
  return finish(
    me,
    {
      kernel: "FT",
      class: cls,
      np,
      time,
      mops,
      verified,
      values: { checksums: sums },
      size: `${nx}x${ny}x${nz}`,
      iterations: niter,
      activeProcesses: np,
      details,
    },
    out,
  );
}

export default async function main(world: Comm, args: string[]): Promise<NasResult> {
  return profiled(world, "FT", () => runFt(world, parseClass(args, "FT"), undefined));
}
