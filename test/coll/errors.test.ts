/**
 * Mismatched arguments across ranks give ERR_COUNT / ERR_OP on every rank
 * that depends on them — never garbage, never a hang — and leave the
 * communicator usable.
 */
import { describe, expect, it } from "vitest";
import { Op } from "../../src/coll/op.ts";
import { ALGORITHMS, codeOf, onRanks } from "./helpers.ts";

describe("mismatches become errors on every rank", () => {
  it("allreduce with different lengths: ERR_COUNT everywhere, under every algorithm and the rules", async () => {
    for (const np of [2, 3, 4, 7, 9]) {
      const out = await onRanks(np, async (w) => {
        const codes: string[] = [];
        for (const algorithm of [...ALGORITHMS.allreduce, undefined]) {
          // One rank small (rules: the small-message schedule), the rest large (rules: ring / Rabenseifner).
          const v = new Float64Array(w.rank === np - 1 ? 3 : 40000);
          codes.push(await codeOf(w.allreduce(v, Op.SUM, algorithm ? { algorithm } : undefined)));
        }
        codes.push(String(await w.allreduce(w.rank, Op.SUM)));
        return codes;
      });
      const sum = String((np * (np - 1)) / 2);
      for (const codes of out) expect(codes).toEqual([...ALGORITHMS.allreduce.map(() => "ERR_COUNT"), "ERR_COUNT", sum]);
    }
  });

  it("different kinds and unreducible values: ERR_OP everywhere", async () => {
    const out = await onRanks(5, async (w) => [
      await codeOf(w.allreduce(w.rank === 2 ? new Int32Array(4) : new Float64Array(4), Op.SUM)),
      await codeOf(w.allreduce(w.rank === 0 ? 1n : 1, Op.SUM)),
      await codeOf(w.allreduce(w.rank === 4 ? "x" : 1, Op.MAX)),
      await codeOf(w.allreduce(w.rank === 1, Op.SUM)),
      await codeOf(w.allreduce({ value: 1, index: w.rank }, Op.SUM)),
      await codeOf(w.scan(w.rank === 3 ? [1] : 1, Op.SUM)),
    ]);
    for (const codes of out) expect(codes).toEqual(["ERR_OP", "ERR_OP", "ERR_OP", "ERR_OP", "ERR_OP", "ERR_OP"]);
  });

  it("a throwing user op fails every rank with ERR_OP", async () => {
    const boom = Op.create((a: number, b: number) => {
      if (a + b > 3) throw new Error("too big");
      return a + b;
    });
    const out = await onRanks(6, async (w) => codeOf(w.allreduce(1, boom, { algorithm: "recursive_doubling" })));
    expect(out).toEqual(Array(6).fill("ERR_OP"));
  });

  it("reduce, scan, exscan and reduceScatter report length mismatches", async () => {
    const out = await onRanks(6, async (w) => {
      const bad = (n: number) => Array.from({ length: w.rank === 4 ? n + 1 : n }, () => 1);
      return {
        reduce: await codeOf(w.reduce(bad(3), Op.SUM, 2)),
        scan: await Promise.all(ALGORITHMS.scan.map((algorithm) => w.scan(bad(2), Op.SUM, { algorithm }).catch((e: { code: string }) => e.code))),
        exscan: await Promise.all(ALGORITHMS.exscan.map((algorithm) => w.exscan(bad(2), Op.SUM, { algorithm }).catch((e: { code: string }) => e.code))),
        rs: await codeOf(
          w.reduceScatter(
            Array.from({ length: 6 }, () => bad(2)),
            Op.SUM,
          ),
        ),
        rsShort: await codeOf(
          w.reduceScatter(
            Array.from({ length: w.rank === 0 ? 5 : 6 }, () => 1),
            Op.SUM,
          ),
        ),
        after: await w.allreduce(1, Op.SUM),
      };
    });
    out.forEach((o, r) => {
      expect(o.reduce).toBe(r === 2 ? "ERR_COUNT" : "none");
      // Every rank whose prefix includes the culprit (rank 4) fails; a rank
      // below it either fails too (recursive doubling met the culprit) or has
      // its exact prefix, never garbage.
      for (const got of o.scan) expect(got).toEqual(r >= 4 ? "ERR_COUNT" : expect.toBeOneOf(["ERR_COUNT", [r + 1, r + 1]]));
      for (const got of o.exscan) expect(got).toEqual(r >= 5 ? "ERR_COUNT" : expect.toBeOneOf(["ERR_COUNT", r === 0 ? undefined : [r, r]]));
      expect(o.rs).toBe("ERR_COUNT");
      expect(o.rsShort).toBe("ERR_COUNT");
      expect(o.after).toBe(6);
    });
  });

  it("scatter and alltoall with the wrong number of values fail on every rank", async () => {
    const out = await onRanks(4, async (w) => ({
      scatter: await Promise.all(ALGORITHMS.scatter.map((algorithm) => codeOf(w.scatter(w.rank === 1 ? [1, 2, 3] : undefined, 1, { algorithm })))),
      alltoall: await Promise.all(ALGORITHMS.alltoall.map((algorithm) => codeOf(w.alltoall(w.rank === 2 ? [1] : [1, 2, 3, 4], { algorithm })))),
      after: await w.allgather(w.rank),
    }));
    for (const o of out) {
      expect(o.scatter).toEqual(ALGORITHMS.scatter.map(() => "ERR_COUNT"));
      expect(o.alltoall).toEqual(ALGORITHMS.alltoall.map(() => "ERR_COUNT"));
      expect(o.after).toEqual([0, 1, 2, 3]);
    }
  });

  it("alltoallInto rejects bad counts locally and a pairwise mismatch as ERR_COUNT", async () => {
    const out = await onRanks(3, async (w) => ({
      local: await codeOf(w.alltoallInto(new Int32Array(3), [1, 1], new Int32Array(3), [1, 1, 1])),
      pair: await codeOf(w.alltoallInto(new Int32Array(6), [2, 2, 2], new Int32Array(3), [1, 1, 1])),
    }));
    for (const o of out) expect(o).toEqual({ local: "ERR_COUNT", pair: "ERR_COUNT" });
  });

  it("an unknown forced algorithm or a bad root is an argument error", async () => {
    const out = await onRanks(3, async (w) => [
      await codeOf(w.allreduce(1, Op.SUM, { algorithm: "quantum" })),
      await codeOf(w.bcast(1, 7)),
      await codeOf(w.allreduce(1, "SUM" as never)),
    ]);
    // A root outside the communicator is MPI's ERR_ROOT.
    for (const codes of out) expect(codes).toEqual(["ERR_ARG", "ERR_ROOT", "ERR_OP"]);
  });
});
