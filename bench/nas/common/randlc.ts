/**
 * The NPB linear congruential generator: x_{k+1} = a·x_k mod 2^46, returning
 * x_{k+1}·2^-46. Products are made exact in doubles by splitting both factors
 * into 23-bit halves, as NPB's common/randdp.f does. Truncations use
 * Math.floor (all operands are positive), which stays in floating point.
 */

const R23 = 2 ** -23;
const R46 = 2 ** -46;
const T23 = 2 ** 23;
const T46 = 2 ** 46;

/** NPB's multiplier 5^13. */
export const A_NPB = 1220703125;

/** (a · x) mod 2^46 for odd integers a, x below 2^46, exact. */
export function mulMod46(a: number, x: number): number {
  const a1 = Math.floor(R23 * a);
  return step(x, a1, a - T23 * a1);
}

/** a^k mod 2^46 by repeated squaring (k a non-negative integer, may exceed 2^31). */
export function powMod46(a: number, k: number): number {
  let result = 1;
  let base = a;
  let n = k;
  while (n > 0) {
    if (n % 2 === 1) result = mulMod46(base, result);
    base = mulMod46(base, base);
    n = Math.floor(n / 2);
  }
  return result;
}

/** The generator's state: one seed, advanced in place. */
export class Randlc {
  x: number;
  constructor(seed: number) {
    this.x = seed;
  }
  /** Advance once with multiplier a and return the new value in (0, 1). */
  next(a: number): number {
    this.x = mulMod46(a, this.x);
    return this.x * R46;
  }
  /** Jump k steps ahead with multiplier a (seed · a^k). */
  jumpAhead(a: number, k: number): void {
    this.x = mulMod46(powMod46(a, k), this.x);
  }
}

/** One generator step with the multiplier pre-split into a1·2^23 + a2. */
function step(s: number, a1: number, a2: number): number {
  const x1 = Math.floor(R23 * s);
  const x2 = s - T23 * x1;
  const t1 = a1 * x2 + a2 * x1;
  const t2 = Math.floor(R23 * t1);
  const z = t1 - T23 * t2;
  const t3 = T23 * z + a2 * x2;
  const t4 = Math.floor(R46 * t3);
  return t3 - T46 * t4;
}

/**
 * Fill y[offset .. offset+n) with the next n values of the sequence from seed
 * x with multiplier a; returns the advanced seed (NPB's vranlc). One step
 * depends on the previous one, so a single chain is latency-bound; for long
 * runs four chains, each starting a quarter of the way further along
 * (seed·a^(j·n/4)), run interleaved. The values are the same integers, so
 * the output is bit-identical to the sequential form, about 4× faster.
 */
export function vranlc(n: number, x: number, a: number, y: Float64Array, offset: number): number {
  const a1 = Math.floor(R23 * a);
  const a2 = a - T23 * a1;
  if (n < 64 || n % 4 !== 0) {
    let s = x;
    for (let i = 0; i < n; i++) {
      s = step(s, a1, a2);
      y[offset + i] = R46 * s;
    }
    return s;
  }
  const q = n / 4;
  const jump = powMod46(a, q);
  let s0 = x;
  let s1 = mulMod46(jump, s0);
  let s2 = mulMod46(jump, s1);
  let s3 = mulMod46(jump, s2);
  const o1 = offset + q;
  const o2 = o1 + q;
  const o3 = o2 + q;
  for (let i = 0; i < q; i++) {
    s0 = step(s0, a1, a2);
    s1 = step(s1, a1, a2);
    s2 = step(s2, a1, a2);
    s3 = step(s3, a1, a2);
    y[offset + i] = R46 * s0;
    y[o1 + i] = R46 * s1;
    y[o2 + i] = R46 * s2;
    y[o3 + i] = R46 * s3;
  }
  return s3;
}
