/**
 * Mismatched arguments across ranks — values of different counts or kinds,
 * lists of different lengths — give ERR_COLL_MISMATCH on every rank (from
 * the call, or from the next collective on that communicator for a rank
 * whose result did not depend on the culprit: guard.ts), never garbage, never
 * a hang; the mismatch breaks that communicator's collectives only. Values an
 * op cannot reduce give ERR_OP on every rank that depends on them, and a
 * root's wrong count ERR_COUNT, leaving the communicator usable.
 */
import { describe, expect, it } from "vitest";
import type { Comm } from "../../src/api/comm.ts";
import { Op } from "../../src/coll/op.ts";
import { ALGORITHMS, codeOf, onRanks } from "./helpers.ts";

/** The code `call` gives on a fresh communicator, or else its next collective there ("none" when both succeed). */
async function codeOn(w: Comm, call: (c: Comm) => Promise<unknown>): Promise<string> {
  const c = await w.dup();
  const code = await codeOf(call(c));
  return code !== "none" ? code : codeOf(c.barrier());
}

describe("mismatches become errors on every rank", () => {
  it("allreduce with different lengths: ERR_COLL_MISMATCH everywhere, under every algorithm and the rules", async () => {
    for (const np of [2, 3, 4, 7, 9]) {
      const out = await onRanks(np, async (w) => {
        const codes: string[] = [];
        for (const algorithm of [...ALGORITHMS.allreduce, undefined]) {
          // One rank small (rules: the small-message schedule), the rest large (rules: ring / Rabenseifner).
          const v = new Float64Array(w.rank === np - 1 ? 3 : 40000);
          codes.push(await codeOn(w, (c) => c.allreduce(v, Op.SUM, algorithm ? { algorithm } : undefined)));
        }
        codes.push(String(await w.allreduce(w.rank, Op.SUM)));
        return codes;
      });
      const sum = String((np * (np - 1)) / 2);
      for (const codes of out) expect(codes).toEqual([...ALGORITHMS.allreduce.map(() => "ERR_COLL_MISMATCH"), "ERR_COLL_MISMATCH", sum]);
    }
  });

  it("different kinds: ERR_COLL_MISMATCH everywhere; values an op cannot reduce: ERR_OP everywhere", async () => {
    const out = await onRanks(5, async (w) => [
      await codeOn(w, (c) => c.allreduce(w.rank === 2 ? new Int32Array(4) : new Float64Array(4), Op.SUM)),
      await codeOn(w, (c) => c.allreduce(w.rank === 0 ? 1n : 1, Op.SUM)),
      await codeOf(w.allreduce(w.rank === 4 ? "x" : 1, Op.MAX)),
      await codeOf(w.allreduce(w.rank === 1, Op.SUM)),
      await codeOf(w.allreduce({ value: 1, index: w.rank }, Op.SUM)),
      await codeOn(w, (c) => c.scan(w.rank === 3 ? [1] : 1, Op.SUM)),
      String(await w.allreduce(1, Op.SUM)),
    ]);
    for (const codes of out) expect(codes).toEqual(["ERR_COLL_MISMATCH", "ERR_COLL_MISMATCH", "ERR_OP", "ERR_OP", "ERR_OP", "ERR_COLL_MISMATCH", "5"]);
  });

  it("a throwing user op fails every rank with ERR_OP", async () => {
    const boom = Op.create((a: number, b: number) => {
      if (a + b > 3) throw new Error("too big");
      return a + b;
    });
    const out = await onRanks(6, async (w) => codeOf(w.allreduce(1, boom, { algorithm: "recursive_doubling" })));
    expect(out).toEqual(Array(6).fill("ERR_OP"));
  });

  it("reduce, scan, exscan and reduceScatter fail every rank on length mismatches", async () => {
    const out = await onRanks(6, async (w) => {
      const bad = (n: number) => Array.from({ length: w.rank === 4 ? n + 1 : n }, () => 1);
      const each = async (f: (c: Comm, algorithm: string) => Promise<unknown>, algorithms: readonly string[]): Promise<string[]> => {
        const codes: string[] = [];
        for (const algorithm of algorithms) codes.push(await codeOn(w, (c) => f(c, algorithm)));
        return codes;
      };
      return {
        reduce: await codeOn(w, (c) => c.reduce(bad(3), Op.SUM, 2)),
        scan: await each((c, algorithm) => c.scan(bad(2), Op.SUM, { algorithm }), ALGORITHMS.scan),
        exscan: await each((c, algorithm) => c.exscan(bad(2), Op.SUM, { algorithm }), ALGORITHMS.exscan),
        rs: await codeOn(w, (c) =>
          c.reduceScatter(
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
    for (const o of out) {
      expect(o.reduce).toBe("ERR_COLL_MISMATCH");
      expect(o.scan).toEqual(ALGORITHMS.scan.map(() => "ERR_COLL_MISMATCH"));
      expect(o.exscan).toEqual(ALGORITHMS.exscan.map(() => "ERR_COLL_MISMATCH"));
      expect(o.rs).toBe("ERR_COLL_MISMATCH");
      // One rank's list of blocks is short: an argument error, on every rank, and the communicator stays usable.
      expect(o.rsShort).toBe("ERR_COUNT");
      expect(o.after).toBe(6);
    }
  });

  it("scatter with the wrong number of values fails every rank; alltoall lists of different lengths too", async () => {
    const out = await onRanks(4, async (w) => ({
      scatter: await Promise.all(ALGORITHMS.scatter.map((algorithm) => codeOf(w.scatter(w.rank === 1 ? [1, 2, 3] : undefined, 1, { algorithm })))),
      alltoall: await Promise.all(ALGORITHMS.alltoall.map((algorithm) => codeOn(w, (c) => c.alltoall(w.rank === 2 ? [1] : [1, 2, 3, 4], { algorithm })))),
      alltoallAllShort: await codeOf(w.alltoall([1])),
      after: await w.allgather(w.rank),
    }));
    for (const o of out) {
      expect(o.scatter).toEqual(ALGORITHMS.scatter.map(() => "ERR_COUNT"));
      expect(o.alltoall).toEqual(ALGORITHMS.alltoall.map(() => "ERR_COLL_MISMATCH"));
      // Every rank passed the same wrong length: no disagreement, an argument error.
      expect(o.alltoallAllShort).toBe("ERR_COUNT");
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
