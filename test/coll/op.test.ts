import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MpiError } from "../../src/errors.ts";
import { Op, reduceInPlace, reducibleError } from "../../src/coll/op.ts";

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return "none";
  } catch (e) {
    return e instanceof MpiError ? e.code : String(e);
  }
};

describe("built-in ops", () => {
  it("combine numbers, bigints and booleans", () => {
    expect(Op.SUM.apply(2, 3)).toBe(5);
    expect(Op.PROD.apply(2, 3)).toBe(6);
    expect(Op.MIN.apply(2, -3)).toBe(-3);
    expect(Op.MAX.apply(2, -3)).toBe(2);
    expect(Op.BAND.apply(6, 3)).toBe(2);
    expect(Op.BOR.apply(6, 3)).toBe(7);
    expect(Op.BXOR.apply(6, 3)).toBe(5);
    expect(Op.SUM.apply(2n, 3n)).toBe(5n);
    expect(Op.BXOR.apply(6n, 3n)).toBe(5n);
    expect(Op.LAND.apply(true, false)).toBe(false);
    expect(Op.LOR.apply(true, false)).toBe(true);
    expect(Op.LXOR.apply(true, true)).toBe(false);
    expect(Op.LAND.apply(2, 3)).toBe(1);
    expect(Op.LOR.apply(0, 0)).toBe(0);
  });

  it("combine typed arrays and arrays element-wise, keeping the kind", () => {
    const r = Op.SUM.apply(Int32Array.of(1, 2), Int32Array.of(10, 20));
    expect(r).toBeInstanceOf(Int32Array);
    expect([...r]).toEqual([11, 22]);
    expect(Op.MAX.apply([1, 5], [3, 2])).toEqual([3, 5]);
    expect([...Op.BOR.apply(BigInt64Array.of(1n), BigInt64Array.of(2n))]).toEqual([3n]);
  });

  it("reduce typed arrays in place without allocating a result", () => {
    const a = Float64Array.of(1, 2, 3);
    const out = Op.SUM.applyInto(a, Float64Array.of(1, 1, 1));
    expect(out).toBe(a);
    expect([...a]).toEqual([2, 3, 4]);
    const sub = new Float64Array([0, 0, 5, 5]).subarray(2);
    Op.MIN.applyInto(sub, Float64Array.of(7, 1));
    expect([...sub]).toEqual([5, 1]);
  });

  it("MINLOC and MAXLOC break ties by the lowest index", () => {
    expect(Op.MINLOC.apply({ value: 1, index: 4 }, { value: 1, index: 2 })).toEqual({ value: 1, index: 2 });
    expect(Op.MAXLOC.apply({ value: 9, index: 0 }, { value: 3, index: 1 })).toEqual({ value: 9, index: 0 });
    expect(Op.MINLOC.apply({ value: 9, index: 0 }, { value: 3, index: 1 })).toEqual({ value: 3, index: 1 });
  });

  it("report mismatched lengths as ERR_COUNT and kinds as ERR_OP", () => {
    expect(codeOf(() => Op.SUM.apply([1, 2], [1]))).toBe("ERR_COUNT");
    expect(codeOf(() => Op.SUM.applyInto(Float64Array.of(1), Float64Array.of(1, 2)))).toBe("ERR_COUNT");
    expect(codeOf(() => Op.SUM.apply<unknown>(Int32Array.of(1), Float64Array.of(1)))).toBe("ERR_OP");
    expect(codeOf(() => Op.SUM.apply<unknown>(1, 1n))).toBe("ERR_OP");
    expect(codeOf(() => Op.SUM.apply(true, false))).toBe("ERR_OP");
    expect(codeOf(() => Op.SUM.apply({ value: 1, index: 0 }, { value: 1, index: 0 }))).toBe("ERR_OP");
  });

  it("say which values an op cannot reduce", () => {
    expect(reducibleError(Op.SUM, 1)).toBeUndefined();
    expect(reducibleError(Op.SUM, [1, 2n])).toBeUndefined();
    expect(reducibleError(Op.SUM, "x")?.code).toBe("ERR_OP");
    expect(reducibleError(Op.SUM, true)?.code).toBe("ERR_OP");
    expect(reducibleError(Op.LOR, [true, false])).toBeUndefined();
    expect(reducibleError(Op.MINLOC, Float64Array.of(1))?.code).toBe("ERR_OP");
    expect(reducibleError(Op.MINLOC, [{ value: 1, index: 0 }])).toBeUndefined();
    expect(
      reducibleError(
        Op.create((a) => a),
        "anything",
      ),
    ).toBeUndefined();
  });
});

describe("Op.create", () => {
  it("is non-commutative unless declared, and gets whole values lower rank first", () => {
    const cat = Op.create((a: string, b: string) => a + b);
    expect(cat.commutative).toBe(false);
    expect(cat.apply("a", "b")).toBe("ab");
    expect(reduceInPlace(cat, "b", "a", true)).toBe("ab");
    expect(reduceInPlace(cat, "a", "b", false)).toBe("ab");
    expect(Op.create((a: number, b: number) => a + b, { commutative: true }).commutative).toBe(true);
  });

  it("rejects a non-function", () => {
    expect(codeOf(() => Op.create(42 as never))).toBe("ERR_OP");
  });
});

describe("Op.applyTo (out = x op y in one pass)", () => {
  const kernelOps = [Op.SUM, Op.PROD, Op.MIN, Op.MAX, Op.BAND, Op.BOR, Op.BXOR, Op.LAND, Op.LOR, Op.LXOR];
  const kinds = [Int8Array, Uint8Array, Int16Array, Int32Array, Uint32Array, Float32Array, Float64Array] as const;

  it("matches the element-wise reference for every op and kind, at lengths around the unrolled step", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kernelOps),
        fc.constantFrom(...kinds),
        fc.array(fc.tuple(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -100, max: 100 })), { maxLength: 40 }),
        fc.boolean(),
        (op, Kind, pairs, inPlace) => {
          const x = new Kind(pairs.map((p) => p[0]));
          const y = new Kind(pairs.map((p) => p[1]));
          const expected = Array.from(x, (a, i) => op.apply(a, y[i]!) as number);
          const xBefore = [...x];
          const out = inPlace ? x : new Kind(x.length);
          const r = op.applyTo(out, x, y);
          expect(r).toBe(out);
          expect([...new Kind(expected as number[])]).toEqual([...out]);
          if (!inPlace) expect([...x]).toEqual(xBefore);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects arrays of different lengths or kinds", () => {
    expect(codeOf(() => Op.SUM.applyTo(new Float64Array(3), Float64Array.of(1, 2, 3), Float64Array.of(1, 2)))).toBe("ERR_COUNT");
    expect(codeOf(() => Op.SUM.applyTo(new Float64Array(2), Float64Array.of(1, 2), Int32Array.of(1, 2) as never))).toBe("ERR_OP");
  });
});
