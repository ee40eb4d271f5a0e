import { describe, expect, it } from "vitest";
import { Op } from "../../src/api/op.ts";
import { Scratch } from "../../src/coll/scratch.ts";
import { PayloadKind } from "../../src/core/payload.ts";
import { onRanks } from "./helpers.ts";

describe("collective scratch buffer", () => {
  it("lends one view at a time, of the message's kind, and grows to the largest message", () => {
    const s = new Scratch();
    const a = s.lend(PayloadKind.FLOAT64, 64)!;
    expect(a.value).toBeInstanceOf(Float64Array);
    expect((a.value as Float64Array).length).toBe(8);
    expect(a.bytes.byteLength).toBe(64);
    // Out on loan: the next receive must allocate its own buffer.
    expect(s.lend(PayloadKind.FLOAT64, 64)).toBeUndefined();
    s.release(new Float64Array(8)); // not the loan: ignored
    expect(s.lend(PayloadKind.INT32, 16)).toBeUndefined();
    s.release(a.value);
    const b = s.lend(PayloadKind.INT32, 1024)!;
    expect(b.value).toBeInstanceOf(Int32Array);
    expect((b.value as Int32Array).length).toBe(256);
    s.release(b.value);
    // Objects and raw buffers are never lent.
    expect(s.lend(PayloadKind.OBJECT, 8)).toBeUndefined();
    expect(s.lend(PayloadKind.ARRAY_BUFFER, 8)).toBeUndefined();
  });

  it("allreduces started together on one communicator (sharing its scratch) each get their own result", async () => {
    for (const algorithm of ["recursive_doubling", "rabenseifner"]) {
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
