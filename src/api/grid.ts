/**
 * Cartesian grids as plain arithmetic (no communicator): row-major
 * coordinates (the last coordinate varies fastest, as MPI lays ranks out
 * without reordering), neighbours with periodic wrap, and MPI_Dims_create.
 * `CartComm` (comm.ts) is a communicator over one of these grids.
 */
import { PROC_NULL } from "../constants.ts";
import { MpiError, mpiError } from "../errors.ts";

/** Coordinates of `rank` on a grid of extents `dims`. */
export function coordsOf(dims: readonly number[], rank: number): number[] {
  const out = new Array<number>(dims.length);
  for (let d = dims.length - 1; d >= 0; d--) {
    out[d] = rank % dims[d]!;
    rank = Math.floor(rank / dims[d]!);
  }
  return out;
}

/** Rank at `coords` (integers, one per dimension); periodic dimensions wrap, else PROC_NULL off the edge. */
export function rankAt(dims: readonly number[], periods: readonly boolean[], coords: readonly number[]): number {
  let r = 0;
  for (let d = 0; d < dims.length; d++) {
    const n = dims[d]!;
    let c = coords[d]!;
    if (c < 0 || c >= n) {
      if (!periods[d]) return PROC_NULL;
      c = ((c % n) + n) % n;
    }
    r = r * n + c;
  }
  return r;
}

/** Check a grid for a communicator of `size` (the caller is rank `rank`); returns its rank count and periods. */
export function checkGrid(rank: number, size: number, dims: readonly number[], periods: readonly boolean[] | undefined): { n: number; periods: boolean[] } {
  if (!Array.isArray(dims) || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw mpiError("ERR_ARG", rank, "cart", `dims must be positive integers, got ${JSON.stringify(dims)}`, "use dimsCreate(size, ndims) to choose them");
  }
  const p = periods ?? dims.map(() => false);
  if (!Array.isArray(p) || p.length !== dims.length) {
    throw mpiError("ERR_ARG", rank, "cart", `periods must have ${dims.length} entries`, "pass one boolean per dimension");
  }
  const n = dims.reduce((a, b) => a * b, 1);
  if (n > size) throw mpiError("ERR_ARG", rank, "cart", `the grid [${dims.join(", ")}] needs ${n} ranks but the communicator has ${size}`, "use smaller dims");
  return { n, periods: p.map(Boolean) };
}

/**
 * MPI_Dims_create: split `nnodes` into `ndims` factors as close to each other
 * as possible, in non-increasing order. `ndims` may instead be an array whose
 * non-zero entries are kept fixed.
 */
export function dimsCreate(nnodes: number, ndims: number | readonly number[]): number[] {
  const fixed = typeof ndims === "number" ? new Array<number>(ndims).fill(0) : [...ndims];
  if (!Number.isInteger(nnodes) || nnodes < 1 || fixed.some((d) => !Number.isInteger(d) || d < 0) || fixed.length < 1) {
    throw new MpiError("ERR_ARG", `dimsCreate: expected a positive node count and at least one dimension, got ${nnodes} and ${JSON.stringify(ndims)}`);
  }
  const fixedProduct = fixed.reduce((a, d) => (d > 0 ? a * d : a), 1);
  const free = fixed.filter((d) => d === 0).length;
  if (nnodes % fixedProduct !== 0) {
    throw new MpiError("ERR_ARG", `dimsCreate: ${nnodes} nodes cannot be split with fixed dimensions ${JSON.stringify(ndims)}`);
  }
  const best = balancedFactors(nnodes / fixedProduct, free);
  let k = 0;
  return fixed.map((d) => (d > 0 ? d : best[k++]!));
}

/** Non-increasing factors of n, k of them, minimising the spread (then the largest). */
function balancedFactors(n: number, k: number): number[] {
  if (k === 0) {
    if (n !== 1) throw new MpiError("ERR_ARG", `dimsCreate: every dimension is fixed but ${n} nodes remain`);
    return [];
  }
  let best: number[] | undefined;
  const score = (f: number[]): [number, number] => [f[0]! - f[f.length - 1]!, f[0]!];
  const walk = (rest: number, left: number, maxFactor: number, acc: number[]): void => {
    if (left === 1) {
      if (rest > maxFactor) return;
      const f = [...acc, rest];
      if (!best) best = f;
      else {
        const [a, b] = score(f);
        const [c, d] = score(best);
        if (a < c || (a === c && b < d)) best = f;
      }
      return;
    }
    // The largest remaining factor is at least the left-th root of rest.
    for (let f = Math.min(maxFactor, rest); f >= 1; f--) {
      if (rest % f !== 0) continue;
      if (f ** left < rest) break;
      walk(rest / f, left - 1, f, [...acc, f]);
    }
  };
  walk(n, k, n, []);
  return best!;
}
