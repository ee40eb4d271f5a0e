import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CartComm } from "../../src/api/comm.ts";
import { dimsCreate } from "../../src/api/grid.ts";
import { PROC_NULL } from "../../src/constants.ts";
import { Op } from "../../src/coll/op.ts";
import { codeOf, onRanks } from "../coll/helpers.ts";

describe("dimsCreate", () => {
  it("matches MPI_Dims_create on known cases", () => {
    expect(dimsCreate(12, 2)).toEqual([4, 3]);
    expect(dimsCreate(16, 3)).toEqual([4, 2, 2]);
    expect(dimsCreate(24, 3)).toEqual([4, 3, 2]);
    expect(dimsCreate(7, 2)).toEqual([7, 1]);
    expect(dimsCreate(1, 3)).toEqual([1, 1, 1]);
    expect(dimsCreate(6, [0, 3])).toEqual([2, 3]);
    expect(dimsCreate(36, 2)).toEqual([6, 6]);
  });

  it("always multiplies back, non-increasing, and no more spread than any other factorisation", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 4 }), (n, k) => {
        const d = dimsCreate(n, k);
        expect(d.length).toBe(k);
        expect(d.reduce((a, b) => a * b, 1)).toBe(n);
        for (let i = 1; i < k; i++) expect(d[i]!).toBeLessThanOrEqual(d[i - 1]!);
        // Brute force for two dimensions: the most balanced pair.
        if (k === 2) {
          let best = n - 1;
          for (let a = 1; a <= n; a++) if (n % a === 0) best = Math.min(best, Math.abs(a - n / a));
          expect(d[0]! - d[1]!).toBe(best);
        }
      }),
    );
  });

  it("rejects impossible requests", () => {
    expect(() => dimsCreate(7, [2, 0])).toThrow(/ERR_ARG/);
    expect(() => dimsCreate(0, 2)).toThrow(/ERR_ARG/);
  });
});

describe("cart", () => {
  it("lays ranks out row-major with coords, rankOf and shift (periodic and not)", async () => {
    const out = await onRanks(12, async (w) => {
      const g = (await w.cart([3, 4], [true, false])) as CartComm;
      return { coords: g.coords, back: g.rankOf(g.coords), s0: g.shift(0, 1), s1: g.shift(1, -1), wrap: g.rankOf([-1, 0]) };
    });
    out.forEach((o, r) => {
      const [i, j] = [Math.floor(r / 4), r % 4];
      expect(o.coords).toEqual([i, j]);
      expect(o.back).toBe(r);
      expect(o.s0).toEqual({ source: ((i + 2) % 3) * 4 + j, dest: ((i + 1) % 3) * 4 + j });
      expect(o.s1).toEqual({ source: j === 3 ? PROC_NULL : r + 1, dest: j === 0 ? PROC_NULL : r - 1 });
      expect(o.wrap).toBe(8);
    });
  });

  it("gives null beyond prod(dims) and rejects a grid larger than the communicator", async () => {
    const out = await onRanks(5, async (w) => {
      const g = await w.cart([2, 2]);
      const tooBig = await codeOf(w.cart([3, 2]));
      return { isNull: g === null, tooBig };
    });
    expect(out.map((o) => o.isNull)).toEqual([false, false, false, false, true]);
    expect(out.every((o) => o.tooBig === "ERR_ARG")).toBe(true);
  });

  it("sub keeps the chosen dimensions and works as a communicator", async () => {
    const out = await onRanks(8, async (w) => {
      const g = (await w.cart([2, 2, 2], [false, true, false])) as CartComm;
      const plane = await g.sub([false, true, true]);
      const line = await g.sub([true, false, false]);
      return {
        plane: [plane.size, plane.rank, plane.dims, plane.periods],
        line: [line.size, line.rank, line.coords],
        sum: await plane.allreduce(w.rank, Op.SUM),
      };
    });
    out.forEach((o, r) => {
      expect(o.plane).toEqual([4, r % 4, [2, 2], [true, false]]);
      expect(o.line).toEqual([2, r >> 2, [r >> 2]]);
      expect(o.sum).toBe(r < 4 ? 0 + 1 + 2 + 3 : 4 + 5 + 6 + 7);
    });
  });

  it("rankOf rejects coordinates off a non-periodic edge", async () => {
    const out = await onRanks(2, async (w) => {
      const g = (await w.cart([2], [false])) as CartComm;
      try {
        g.rankOf([2]);
        return "none";
      } catch (e) {
        return (e as { code: string }).code;
      }
    });
    expect(out).toEqual(["ERR_RANK", "ERR_RANK"]);
  });
});
