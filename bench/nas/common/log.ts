/**
 * Natural logarithm of a positive finite double, in TypeScript, for EP's
 * inner loop. Math.log is a call out of optimised code into C (V8's fdlibm
 * port): about 9 ns a call here, and the call also forces the loop's live
 * doubles out of registers, so in EP's loop it cost 11 ns per pair of the 25.
 * This version is inlined by the JIT: 25 -> 14 ns per pair.
 *
 * Method (the usual table-driven one): t = 2^k · m with m in [1, 2) from
 * the bits of t; m is rounded to the nearest c = 1 + j/128 (j from the top 8
 * mantissa bits), so log t = k·ln2 + log c + log1p(r), r = (m − c)/c,
 * |r| ≤ 1/256, and log1p(r) is its Taylor series to r⁷ (the next term is
 * below 1e-19). For c ≥ 1.5 the table holds log(c/2) and k is one higher,
 * so that near t = 1 the result is not the difference of two nearly equal
 * numbers. Measured error against Math.log: at most 2 units in the last
 * place (test/nas/log.test.ts checks 4).
 *
 * The tables are fields of a Log object that the caller holds, not module
 * constants: tsmpi's launcher bundles a program with esbuild, which turns
 * every top-level const into a var, and V8 then reloads a mutable module
 * variable and re-checks the array behind it on every use. An object's
 * fields keep the type V8 recorded for them, so the inlined log costs no
 * such checks: EP's pair loop, bundled as tsmpi runs it, 21-24 -> 18-22 ns
 * per pair (CPU time, loaded machine).
 */

const BITS = 7;
const N = 1 << BITS;

export class Log {
  /**
   * At e (1..2046): 2^(1023 − e), which brings a double with biased exponent
   * e into [1, 2), exactly. For centre j (0..N) at 2048 + 4j: the centre
   * c = 1 + j/N, 1/c, log c (log(c/2) for c ≥ 1.5) and the extra exponent (0
   * or 1). One array, so the inlined log loads one field; the offset 2048 is
   * a literal in of() for the reason above.
   */
  readonly table = new Float64Array(2048 + 4 * (N + 1));
  // The bits of a double, read through a second view of the same 8 bytes (little-endian: word 1 is the high word).
  readonly bits = new Float64Array(1);
  readonly words = new Int32Array(this.bits.buffer);

  constructor() {
    for (let j = 0; j <= N; j++) {
      const c = 1 + j / N;
      const upper = j >= N / 2;
      this.table[2048 + 4 * j] = c;
      this.table[2048 + 4 * j + 1] = 1 / c;
      this.table[2048 + 4 * j + 2] = upper ? Math.log(c / 2) : Math.log(c);
      this.table[2048 + 4 * j + 3] = upper ? 1 : 0;
    }
    for (let e = 1; e < 2047; e++) this.table[e] = 2 ** (1023 - e);
  }

  /** log(t) for t > 0 and finite; subnormal t goes to Math.log. */
  of(t: number): number {
    const table = this.table;
    this.bits[0] = t;
    const high = this.words[1]!;
    const e = high >>> 20;
    if (e === 0) return Math.log(t);
    // Top 8 mantissa bits, rounded to 7: the nearest centre j (0..128), at 2048 + 4j.
    const k = 2048 + (((((high >>> 12) & 255) + 1) >> 1) << 2);
    const m = t * table[e]!;
    const r = (m - table[k]!) * table[k + 1]!;
    const p = r - r * r * (1 / 2 - r * (1 / 3 - r * (1 / 4 - r * (1 / 5 - r * (1 / 6 - r * (1 / 7))))));
    return (e - 1023 + table[k + 3]!) * Math.LN2 + table[k + 2]! + p;
  }
}

const shared = new Log();

/** log(t) through one shared Log (for callers outside hot loops). */
export function logPositive(t: number): number {
  return shared.of(t);
}
