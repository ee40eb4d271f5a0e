/**
 * Cartesian topologies (MPI_Cart_create and friends): a communicator whose
 * ranks are laid out on a grid in row-major order (the last coordinate varies
 * fastest), as MPI does without reordering.
 */
import { Comm } from "./comm.ts";
import { PROC_NULL } from "./constants.ts";
import { MpiError, mpiError } from "./errors.ts";

export class CartComm extends Comm {
  /** Extent of each dimension. */
  readonly dims: readonly number[];
  /** Whether each dimension wraps around. */
  readonly periods: readonly boolean[];
  /** This rank's coordinates. */
  readonly coords: readonly number[];

  /** @internal Use `comm.cart(dims, periods)`. */
  constructor(base: Comm, contextId: number, members: Int32Array, dims: readonly number[], periods: readonly boolean[]) {
    super(base.core, contextId, members, base.services);
    this.dims = Object.freeze([...dims]);
    this.periods = Object.freeze([...periods]);
    this.coords = Object.freeze(this.coordsOf(this.rank));
  }

  /** Coordinates of `rank` in the grid. */
  coordsOf(rank: number): number[] {
    if (!(Number.isInteger(rank) && rank >= 0 && rank < this.size)) {
      throw mpiError("ERR_RANK", this.rank, "coordsOf", `rank ${String(rank)} is not in this grid of ${this.size}`, `use 0..${this.size - 1}`);
    }
    const out = new Array<number>(this.dims.length);
    for (let d = this.dims.length - 1; d >= 0; d--) {
      out[d] = rank % this.dims[d]!;
      rank = Math.floor(rank / this.dims[d]!);
    }
    return out;
  }

  /** Rank at `coords`; periodic dimensions wrap, others must be in range (else ERR_RANK). */
  rankOf(coords: readonly number[]): number {
    const r = this.tryRankOf(coords, "rankOf");
    if (r === PROC_NULL) {
      throw mpiError(
        "ERR_RANK",
        this.rank,
        "rankOf",
        `coordinates [${coords.join(", ")}] are outside the grid [${this.dims.join(", ")}]`,
        "stay in range on non-periodic dimensions",
      );
    }
    return r;
  }

  private tryRankOf(coords: readonly number[], call: string): number {
    if (!Array.isArray(coords) || coords.length !== this.dims.length || coords.some((c) => !Number.isInteger(c))) {
      throw mpiError("ERR_ARG", this.rank, call, `expected ${this.dims.length} integer coordinates`, "pass one coordinate per dimension");
    }
    let r = 0;
    for (let d = 0; d < this.dims.length; d++) {
      const n = this.dims[d]!;
      let c = coords[d]!;
      if (c < 0 || c >= n) {
        if (!this.periods[d]) return PROC_NULL;
        c = ((c % n) + n) % n;
      }
      r = r * n + c;
    }
    return r;
  }

  /** Neighbours `disp` steps along `dim`: `dest` ahead, `source` behind (PROC_NULL off a non-periodic edge). */
  shift(dim: number, disp: number): { source: number; dest: number } {
    if (!(Number.isInteger(dim) && dim >= 0 && dim < this.dims.length)) {
      throw mpiError("ERR_ARG", this.rank, "shift", `dimension ${String(dim)} does not exist`, `use 0..${this.dims.length - 1}`);
    }
    if (!Number.isInteger(disp)) throw mpiError("ERR_ARG", this.rank, "shift", `displacement ${String(disp)} is not an integer`, "pass an integer");
    const ahead = [...this.coords];
    const behind = [...this.coords];
    ahead[dim]! += disp;
    behind[dim]! -= disp;
    return { source: this.tryRankOf(behind, "shift"), dest: this.tryRankOf(ahead, "shift") };
  }

  /**
   * The sub-grid keeping the dimensions where `remainDims[d]` is true: ranks
   * that share their coordinates in the dropped dimensions (MPI_Cart_sub).
   * Collective over this grid.
   */
  async sub(remainDims: readonly boolean[]): Promise<CartComm> {
    if (!Array.isArray(remainDims) || remainDims.length !== this.dims.length) {
      throw mpiError("ERR_ARG", this.rank, "sub", `expected ${this.dims.length} booleans`, "pass one flag per dimension");
    }
    const id = await this.agreeContextId();
    const members: number[] = [];
    for (let r = 0; r < this.size; r++) {
      const c = this.coordsOf(r);
      if (c.every((x, d) => remainDims[d] || x === this.coords[d])) members.push(this.members[r]!);
    }
    const keep = (xs: readonly unknown[]) => xs.filter((_, d) => remainDims[d]);
    return new CartComm(this, id, Int32Array.from(members), keep(this.dims) as number[], keep(this.periods) as boolean[]);
  }
}

/** Collective: build the grid over the first prod(dims) ranks of `comm`. */
export async function createCart(
  comm: Comm,
  dims: readonly number[],
  periods: readonly boolean[] | undefined,
  agreedId: Promise<number>,
): Promise<CartComm | null> {
  // Every rank joined the id agreement already; settle it before judging the arguments.
  const id = await agreedId;
  if (!Array.isArray(dims) || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw mpiError("ERR_ARG", comm.rank, "cart", `dims must be positive integers, got ${JSON.stringify(dims)}`, "use dimsCreate(size, ndims) to choose them");
  }
  const p = periods ?? dims.map(() => false);
  if (!Array.isArray(p) || p.length !== dims.length) {
    throw mpiError("ERR_ARG", comm.rank, "cart", `periods must have ${dims.length} entries`, "pass one boolean per dimension");
  }
  const n = dims.reduce((a, b) => a * b, 1);
  if (n > comm.size) {
    throw mpiError("ERR_ARG", comm.rank, "cart", `the grid [${dims.join(", ")}] needs ${n} ranks but the communicator has ${comm.size}`, "use smaller dims");
  }
  if (comm.rank >= n) return null;
  return new CartComm(comm, id, comm.members.slice(0, n), dims, p.map(Boolean));
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
