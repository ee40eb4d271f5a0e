/**
 * MPI_Dims_create: split `nnodes` into `ndims` factors as close to each other
 * as possible (the smallest spread, then the smallest largest factor), in
 * non-increasing order. `ndims` may instead be an array whose non-zero
 * entries are kept fixed. `dimsCreate(1, 0)` is `[]` (MPI-4.0 erratum: zero
 * dimensions are allowed, with one node).
 *
 * Bounded in time and memory whatever it is given: node counts are MPI ints
 * (below 2^31), dimensions at most MAX_DIMS; only the first Ω(n) dimensions
 * (n's prime factors counted with multiplicity, at most 30) can be larger
 * than 1, so the search runs over those and pads with 1s, and it prunes any
 * branch whose spread cannot beat the best found.
 */
import { MpiError } from "../errors.ts";

/** Largest node count: MPI's `int` (nodes are ranks). */
export const MAX_NODES = 2 ** 31 - 1;
/** Most dimensions (the result is an array of this many entries). */
export const MAX_DIMS = 1 << 16;

function refuse(problem: string, fix: string): MpiError {
  return new MpiError("ERR_ARG", `dimsCreate: ${problem}; ${fix}`);
}

export function dimsCreate(nnodes: number, ndims: number | readonly number[]): number[] {
  if (!Number.isInteger(nnodes) || nnodes < 1 || nnodes > MAX_NODES)
    throw refuse(`nnodes must be a whole number from 1 to ${MAX_NODES}, got ${String(nnodes)}`, "pass the number of ranks to arrange");
  let fixed: number[];
  if (typeof ndims === "number") {
    if (!Number.isInteger(ndims) || ndims < 0 || ndims > MAX_DIMS)
      throw refuse(`ndims must be a whole number from 0 to ${MAX_DIMS}, got ${String(ndims)}`, "pass how many dimensions the grid has");
    fixed = new Array<number>(ndims).fill(0);
  } else {
    if (!Array.isArray(ndims) || ndims.length > MAX_DIMS)
      throw refuse(`dims must be an array of at most ${MAX_DIMS} entries`, "pass one entry per dimension (0 = choose it)");
    if (ndims.some((d) => !Number.isInteger(d) || d < 0 || d > MAX_NODES))
      throw refuse(`dims entries must be 0 (choose) or a positive whole number, got ${JSON.stringify(ndims)}`, "use 0 for the dimensions to choose");
    fixed = [...ndims];
  }
  let fixedProduct = 1;
  let free = 0;
  for (const d of fixed) {
    if (d === 0) free++;
    else fixedProduct *= d;
  }
  if (fixedProduct > nnodes || nnodes % fixedProduct !== 0)
    throw refuse(`${nnodes} nodes cannot be split with fixed dimensions ${JSON.stringify(ndims)}`, "fix dimensions whose product divides nnodes");
  const rest = nnodes / fixedProduct;
  if (free === 0 && rest !== 1)
    throw refuse(`every dimension is fixed (product ${fixedProduct}) but nnodes is ${nnodes}`, "leave a dimension 0 or fix them to multiply to nnodes");
  const best = balancedFactors(rest, free);
  let k = 0;
  return fixed.map((d) => (d > 0 ? d : best[k++]!));
}

/** Prime factors of n (below 2^31), smallest first, with multiplicity. */
function primeFactors(n: number): number[] {
  const out: number[] = [];
  for (let p = 2; p * p <= n; p++) {
    while (n % p === 0) {
      out.push(p);
      n /= p;
    }
  }
  if (n > 1) out.push(n);
  return out;
}

/** Every divisor of n, ascending, from its prime factors. */
function divisors(primes: readonly number[]): number[] {
  let ds = [1];
  let i = 0;
  while (i < primes.length) {
    const p = primes[i]!;
    let e = 0;
    while (i < primes.length && primes[i] === p) {
      e++;
      i++;
    }
    const next: number[] = [];
    for (const d of ds) for (let q = 1, k = 0; k <= e; k++, q *= p) next.push(d * q);
    ds = next;
  }
  return ds.sort((a, b) => a - b);
}

/**
 * Non-increasing factors of n, k of them, minimising the spread, then the
 * largest factor. For each candidate largest factor M (ascending), the best
 * smallest factor the rest can have is found by a memoised search over n's
 * divisors, `floor(rest, left, cap)`: the largest possible minimum of `left`
 * factors of `rest`, none above `cap`. States are (divisor, divisor, count),
 * so even 2^31's most composite numbers take milliseconds.
 */
export function balancedFactors(n: number, k: number): number[] {
  if (k === 0) return [];
  const primes = primeFactors(n);
  // Beyond Ω(n) dimensions the rest are 1 whatever happens: search only the ones that can be larger.
  const active = Math.min(k, Math.max(1, primes.length));
  const ds = divisors(primes);
  const index = new Map<number, number>();
  for (const [i, d] of ds.entries()) index.set(d, i);
  const memo = new Map<number, number>();
  const D = ds.length;
  /** Largest achievable minimum of `left` non-increasing factors of `rest`, each at most `cap` (0: impossible). */
  const floor = (rest: number, left: number, cap: number): number => {
    if (left === 1) return rest <= cap ? rest : 0;
    const key = (index.get(rest)! * D + index.get(cap)!) * 32 + left;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const root = rest ** (1 / left);
    let best = 0;
    for (let i = index.get(Math.min(cap, rest)) ?? D - 1; i >= 0; i--) {
      const f = ds[i]!;
      // Factors are non-increasing, so this one is at least the left-th root of what remains.
      if (f < root - 1e-9 || f <= best) break;
      if (f > cap || rest % f !== 0) continue;
      const m = Math.min(f, floor(rest / f, left - 1, f));
      if (m > best) best = m;
    }
    memo.set(key, best);
    return best;
  };
  const root = n ** (1 / active);
  let bestMax = 0;
  let bestMin = 0;
  for (const M of ds) {
    if (M < root - 1e-9) continue;
    if (bestMax > 0 && M - root >= bestMax - bestMin) break;
    const m = active === 1 ? (M === n ? M : 0) : floor(n / M, active - 1, M);
    if (m > 0 && (bestMax === 0 || M - m < bestMax - bestMin)) {
      bestMax = M;
      bestMin = m;
    }
  }
  // Rebuild one factorisation reaching that minimum, largest factors first.
  const out = [bestMax];
  let rest = n / bestMax;
  let cap = bestMax;
  for (let left = active - 1; left >= 1; left--) {
    if (left === 1) {
      out.push(rest);
      break;
    }
    for (let i = index.get(Math.min(cap, rest))!; i >= 0; i--) {
      const f = ds[i]!;
      if (rest % f !== 0 || f < bestMin) continue;
      if (Math.min(f, floor(rest / f, left - 1, f)) >= bestMin) {
        out.push(f);
        rest /= f;
        cap = f;
        break;
      }
    }
  }
  for (let i = active; i < k; i++) out.push(1);
  return out;
}
