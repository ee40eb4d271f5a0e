/**
 * Cartesian grids as plain arithmetic (no communicator): row-major
 * coordinates (the last coordinate varies fastest, as MPI lays ranks out
 * without reordering), neighbours with periodic wrap, and MPI_Dims_create.
 * `CartComm` (comm.ts) is a communicator over one of these grids.
 */
import { PROC_NULL } from "../constants.ts";
import { mpiError } from "../errors.ts";

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

/** MPI_Dims_create lives in its own file (a bounded search); the grid's users find it here too. */
export { dimsCreate } from "./dims-create.ts";
