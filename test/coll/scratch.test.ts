import { describe, expect, it } from "vitest";
import { Op } from "../../src/coll/op.ts";
import { Scratch } from "../../src/coll/scratch.ts";
import { PayloadKind } from "../../src/core/payload.ts";
import { onRanks } from "./helpers.ts";

describe("collective scratch buffer", () => {
  it("lends a buffer per loan, of the message's kind, reuses a released one (and its views), and grows to the largest message", () => {
    const s = new Scratch();
    const a = s.lend(PayloadKind.FLOAT64, 64)!;
    expect(a.value).toBeInstanceOf(Float64Array);
    expect((a.value as Float64Array).length).toBe(8);
    expect(a.bytes.byteLength).toBe(64);
    // A second loan while the first is out gets another buffer.
    const b = s.lend(PayloadKind.FLOAT64, 64)!;
    expect(b.value).not.toBe(a.value);
    expect((b.value as Float64Array).buffer).not.toBe((a.value as Float64Array).buffer);
    s.release(new Float64Array(8)); // not a loan: ignored
    s.release(a.value);
    // The released buffer comes back, with the same views for the same shape.
    expect(s.lend(PayloadKind.FLOAT64, 64)!.value).toBe(a.value);
    s.release(a.value);
    const c = s.lend(PayloadKind.INT32, 1024)!;
    expect(c.value).toBeInstanceOf(Int32Array);
    expect((c.value as Int32Array).length).toBe(256);
    s.release(c.value);
    s.release(b.value);
    // Objects and raw buffers are never lent.
    expect(s.lend(PayloadKind.OBJECT, 8)).toBeUndefined();
    expect(s.lend(PayloadKind.ARRAY_BUFFER, 8)).toBeUndefined();
  });

  it("stops lending past its slots, so a receive allocates instead", () => {
    const s = new Scratch();
    const loans = [];
    for (let i = 0; ; i++) {
      const l = s.lend(PayloadKind.UINT8, 8);
      if (!l) break;
      loans.push(l.value);
      expect(i).toBeLessThan(100);
    }
    expect(new Set(loans).size).toBe(loans.length);
    s.release(loans[3]);
    expect(s.lend(PayloadKind.UINT8, 8)!.value).toBe(loans[3]);
  });

  it("allreduces started together on one communicator (sharing its scratch) each get their own result", async () => {
    for (const algorithm of ["recursive_doubling", "rabenseifner", "linear"]) {
      const results = await onRanks(3, async (w) => {
        const a = Float64Array.from({ length: 1000 }, (_, i) => i + w.rank);
        const b = Float64Array.from({ length: 1000 }, (_, i) => -i * (w.rank + 1));
        const c = Int32Array.from({ length: 1000 }, (_, i) => i ^ w.rank);
        const [ra, rb, rc] = await Promise.all([
          w.allreduce(a, Op.SUM, { algorithm }),
          w.allreduceInto(b, Op.MIN, { algorithm }),
          w.allreduce(c, Op.BXOR, { algorithm }),
        ]);
        return [ra[999], rb[999], rc[999], ra[0], rb[1]];
      });
      for (const r of results) expect(r).toEqual([3 * 999 + 3, -999 * 3, 999 ^ 0 ^ 1 ^ 2, 3, -3]);
    }
  });
});
