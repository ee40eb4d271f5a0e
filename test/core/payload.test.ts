import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MpiError } from "../../src/errors.ts";
import { allocateFor, decodeCopy, encodePayload, kindOf, PayloadKind } from "../../src/core/payload.ts";

const typedArrays = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;

describe("payload codec", () => {
  it("sends typed arrays as their own bytes, without copying", () => {
    const a = new Float64Array([1, 2, 3]);
    const { kind, bytes } = encodePayload(a);
    expect(kind).toBe(PayloadKind.FLOAT64);
    expect(bytes.buffer).toBe(a.buffer);
    expect(bytes.byteLength).toBe(24);
  });

  it("keeps every typed-array kind through encode and decode", () => {
    for (const C of typedArrays) {
      const a = new C(5);
      const { kind, bytes } = encodePayload(a);
      const back = decodeCopy(kind, bytes) as ArrayBufferView;
      expect(back.constructor).toBe(C);
      expect(back.byteLength).toBe(a.byteLength);
      expect(back.buffer).not.toBe(a.buffer);
    }
    expect(kindOf(new ArrayBuffer(3))).toBe(PayloadKind.ARRAY_BUFFER);
    expect(kindOf(new DataView(new ArrayBuffer(3)))).toBe(PayloadKind.DATA_VIEW);
    expect(kindOf(Buffer.from("ab"))).toBe(PayloadKind.UINT8);
    expect(kindOf({ a: 1 })).toBe(PayloadKind.OBJECT);
  });

  it("allocates a receive buffer of the right kind from the header alone", () => {
    const { value, bytes } = allocateFor(PayloadKind.INT32, 12);
    expect(value).toBeInstanceOf(Int32Array);
    expect((value as Int32Array).length).toBe(3);
    expect(bytes.byteLength).toBe(12);
  });

  it("round-trips arbitrary objects through msgpack, copying out of transport memory", () => {
    // Documented limits of object payloads (msgpackr): -0 travels as the integer 0, and a key
    // named "__proto__" arrives as "__proto_" (its guard against prototype pollution).
    const values = fc
      .jsonValue()
      .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
      .filter((v) => !JSON.stringify(v).includes('"__proto__"'));
    fc.assert(
      fc.property(values, (v) => {
        const { kind, bytes } = encodePayload(v);
        expect(kind).toBe(PayloadKind.OBJECT);
        // Decode from a view into a larger, shared buffer, then scribble over it.
        const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength + 8));
        shared.set(bytes, 4);
        const out = decodeCopy(kind, shared.subarray(4, 4 + bytes.byteLength));
        shared.fill(0xff);
        expect(out).toEqual(v);
      }),
    );
  });

  it("keeps Map, Set, Date, bigint and nested typed arrays", () => {
    const v = { m: new Map([[1, "a"]]), s: new Set(["x"]), d: new Date(5), b: 2n ** 65n, t: [new Uint16Array([7])] };
    const { kind, bytes } = encodePayload(v);
    expect(decodeCopy(kind, bytes)).toEqual(v);
  });
});

describe("unsendable payloads", () => {
  const refused = (v: unknown): string => {
    try {
      encodePayload(v);
    } catch (e) {
      expect(e).toBeInstanceOf(MpiError);
      expect((e as MpiError).code).toBe("ERR_TYPE");
      return (e as MpiError).message;
    }
    throw new Error("encoded without complaint");
  };

  it("refuses a function at any depth instead of sending undefined", () => {
    expect(refused(() => 1)).toMatch(/function/);
    expect(refused({ a: [1, { f() {} }] })).toMatch(/function/);
    expect(refused(new Map([["k", () => 0]]))).toMatch(/function/);
  });

  it("refuses a symbol at any depth", () => {
    expect(refused(Symbol("s"))).toMatch(/symbol/);
    expect(refused([1, Symbol("s")])).toMatch(/symbol/);
  });

  it("still sends Maps, Sets, Dates and class instances (as plain objects)", () => {
    class Point {
      x = 1;
      y = 2;
    }
    const back = (v: unknown) => {
      const { kind, bytes } = encodePayload(v);
      return decodeCopy(kind, bytes);
    };
    expect(back(new Map([["a", 1]]))).toEqual(new Map([["a", 1]]));
    expect(back(new Set([1, 2]))).toEqual(new Set([1, 2]));
    expect(back(new Date(5))).toEqual(new Date(5));
    expect(back(new Point())).toEqual({ x: 1, y: 2 });
  });
});
