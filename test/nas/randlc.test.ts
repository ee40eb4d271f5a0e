// The NPB generator: exact modular products, the interleaved vranlc, jumps,
// and the first keys / values the kernels draw from it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { A_NPB, mulMod46, powMod46, Randlc, vranlc } from "../../bench/nas/common/randlc.ts";

const M46 = 1n << 46n;
const odd46 = fc.bigInt({ min: 0n, max: (1n << 45n) - 1n }).map((k) => 2n * k + 1n);

function refMul(a: bigint, x: bigint): bigint {
  return (a * x) % M46;
}

describe("randlc", () => {
  it("mulMod46 is the exact product mod 2^46 (BigInt reference)", () => {
    fc.assert(
      fc.property(odd46, odd46, (a, x) => {
        expect(mulMod46(Number(a), Number(x))).toBe(Number(refMul(a, x)));
      }),
      { numRuns: 500 },
    );
  });

  it("powMod46 jumps match repeated multiplication", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), (k) => {
        let p = 1n;
        for (let i = 0; i < k; i++) p = refMul(p, BigInt(A_NPB));
        expect(powMod46(A_NPB, k)).toBe(Number(p));
      }),
      { numRuns: 30 },
    );
  });

  it("powMod46 handles exponents beyond 2^32 (EP class A seeds)", () => {
    const k = 2 ** 35 + 12345;
    let base = BigInt(A_NPB);
    let e = BigInt(k);
    let r = 1n;
    while (e > 0n) {
      if (e & 1n) r = refMul(r, base);
      base = refMul(base, base);
      e >>= 1n;
    }
    expect(powMod46(A_NPB, k)).toBe(Number(r));
  });

  it("interleaved vranlc gives the sequential sequence bit for bit", () => {
    fc.assert(
      fc.property(odd46, fc.integer({ min: 1, max: 700 }), (seed, n) => {
        const y = new Float64Array(n);
        const end = vranlc(n, Number(seed), A_NPB, y, 0);
        const rng = new Randlc(Number(seed));
        for (let i = 0; i < n; i++) expect(y[i]).toBe(rng.next(A_NPB));
        expect(end).toBe(rng.x);
      }),
      { numRuns: 40 },
    );
  });

  it("jumpAhead(k) equals k calls to next", () => {
    const a = new Randlc(314159265);
    const b = new Randlc(314159265);
    for (let i = 0; i < 1000; i++) a.next(A_NPB);
    b.jumpAhead(A_NPB, 1000);
    expect(b.x).toBe(a.x);
  });

  it("the first value from NPB's seed is 314159265·5^13 / 2^46", () => {
    const rng = new Randlc(314159265);
    const expected = Number((314159265n * 1220703125n) % M46) / 2 ** 46;
    expect(rng.next(A_NPB)).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(1);
  });
});
