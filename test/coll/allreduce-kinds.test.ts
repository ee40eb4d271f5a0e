import { describe, expect, it } from "vitest";
import { Op } from "../../src/coll/op.ts";
import { onRanks } from "./helpers.ts";

describe("array-splitting allreduce on every kind of typed array", () => {
  it("BigInt64Array SUM, Int8Array MAX (wrapping) and Float32Array LOR agree with the closed form, odd lengths, n = 2, 3, 5", async () => {
    for (const n of [2, 3, 5]) {
      for (const algorithm of ["rabenseifner", "recursive_doubling", "ring"]) {
        const results = await onRanks(n, async (w) => {
          const b = BigInt64Array.from({ length: 37 }, (_, i) => BigInt(i * (w.rank + 1)));
          const c = Int8Array.from({ length: 41 }, (_, i) => (i + w.rank) & 127);
          const d = Float32Array.from({ length: 5 }, (_, i) => i + w.rank * 0.5);
          const rb = await w.allreduce(b, Op.SUM, { algorithm });
          const rc = await w.allreduce(c, Op.MAX, { algorithm });
          const rd = await w.allreduce(d, Op.LOR, { algorithm });
          return [rb[36], rc[40], rd[0], rb instanceof BigInt64Array, rc instanceof Int8Array, rd instanceof Float32Array];
        });
        const ranksSum = (n * (n + 1)) / 2;
        for (const r of results) expect(r, `${algorithm}, n = ${n}`).toEqual([BigInt(36 * ranksSum), (40 + n - 1) & 127, 1, true, true, true]);
      }
    }
  });
});
