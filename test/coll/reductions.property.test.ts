/**
 * Every reduction collective, every op and every forced algorithm against a
 * sequential reference (a left fold in rank order), for communicator sizes
 * 1…16 in the sim engine. Values are integers so that every algorithm's
 * order of combination gives the exact same answer.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Op } from "../../src/coll/op.ts";
import { ALGORITHMS, fold, onRanks, plain } from "./helpers.ts";

type Kind = "number" | "bigint" | "Float64Array" | "Int32Array" | "BigInt64Array" | "Array" | "boolean" | "Uint8Array" | "pair";

const ARITH = [Op.SUM, Op.PROD, Op.MIN, Op.MAX];
const BITS = [Op.BAND, Op.BOR, Op.BXOR];
const LOGIC = [Op.LAND, Op.LOR, Op.LXOR];
const LOC = [Op.MINLOC, Op.MAXLOC];

/** Which kinds each op family reduces. */
function kindsFor(op: Op): Kind[] {
  if (LOGIC.includes(op)) return ["boolean", "Uint8Array", "number"];
  if (LOC.includes(op)) return ["pair"];
  if (BITS.includes(op)) return ["number", "bigint", "Int32Array", "BigInt64Array", "Array"];
  return ["number", "bigint", "Float64Array", "Int32Array", "BigInt64Array", "Array"];
}

/** A deterministic value of `kind` for `rank` from a seed (small integers: exact in every order). */
function make(kind: Kind, seed: number, rank: number, length: number, logical: boolean): unknown {
  const x = (i: number) => ((seed * 31 + rank * 17 + i * 7) % 5) - (logical ? 0 : 2);
  const bit = (i: number) => (x(i) + 2) % 2;
  switch (kind) {
    case "number":
      return logical ? bit(0) : x(0);
    case "bigint":
      return BigInt(x(0));
    case "boolean":
      return bit(0) === 1;
    case "Float64Array":
      return Float64Array.from({ length }, (_, i) => x(i));
    case "Int32Array":
      return Int32Array.from({ length }, (_, i) => x(i));
    case "BigInt64Array":
      return BigInt64Array.from({ length }, (_, i) => BigInt(x(i)));
    case "Uint8Array":
      return Uint8Array.from({ length }, (_, i) => bit(i));
    case "Array":
      return Array.from({ length }, (_, i) => x(i));
    case "pair":
      return { value: x(0), index: rank };
  }
}

const ALL_OPS = [...ARITH, ...BITS, ...LOGIC, ...LOC];

const caseArb = fc.record({
  np: fc.integer({ min: 1, max: 16 }),
  opIndex: fc.nat({ max: ALL_OPS.length - 1 }),
  kindIndex: fc.nat({ max: 5 }),
  length: fc.integer({ min: 1, max: 40 }),
  seed: fc.nat({ max: 1000 }),
  rootSeed: fc.nat({ max: 1000 }),
});

describe("reductions match a sequential fold for every op and every algorithm", () => {
  it("allreduce, reduce, scan, exscan, reduceScatter (built-in ops)", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ np, opIndex, kindIndex, length, seed, rootSeed }) => {
        const op = ALL_OPS[opIndex]!;
        const kinds = kindsFor(op);
        const kind = kinds[kindIndex % kinds.length]!;
        const logical = LOGIC.includes(op);
        const values = Array.from({ length: np }, (_, r) => make(kind, seed, r, length, logical));
        const blocks = Array.from({ length: np }, (_, r) => Array.from({ length: np }, (_, i) => make(kind, seed + i, r, length, logical)));
        const root = rootSeed % np;
        const results = await onRanks(np, async (w) => {
          const me = w.rank;
          const out: Record<string, unknown> = {};
          for (const a of ALGORITHMS.allreduce) out[`allreduce/${a}`] = plain(await w.allreduce(values[me], op, { algorithm: a }));
          out["allreduce/rules"] = plain(await w.allreduce(values[me], op));
          for (const a of ALGORITHMS.reduce) out[`reduce/${a}`] = plain(await w.reduce(values[me], op, root, { algorithm: a }));
          for (const a of ALGORITHMS.scan) out[`scan/${a}`] = plain(await w.scan(values[me], op, { algorithm: a }));
          for (const a of ALGORITHMS.exscan) out[`exscan/${a}`] = plain(await w.exscan(values[me], op, { algorithm: a }));
          for (const a of ALGORITHMS.reduceScatter) out[`reduceScatter/${a}`] = plain(await w.reduceScatter(blocks[me]!, op, { algorithm: a }));
          out.untouched = plain(values[me]);
          return out;
        });
        const total = plain(fold(op, values));
        results.forEach((out, r) => {
          for (const a of [...ALGORITHMS.allreduce, "rules"]) expect(out[`allreduce/${a}`], `allreduce ${a}`).toEqual(total);
          for (const a of ALGORITHMS.reduce) expect(out[`reduce/${a}`], `reduce ${a}`).toEqual(r === root ? total : undefined);
          for (const a of ALGORITHMS.scan) expect(out[`scan/${a}`], `scan ${a}`).toEqual(plain(fold(op, values.slice(0, r + 1))));
          for (const a of ALGORITHMS.exscan) expect(out[`exscan/${a}`], `exscan ${a}`).toEqual(r === 0 ? undefined : plain(fold(op, values.slice(0, r))));
          const mine = blocks.map((b) => b[r]);
          for (const a of ALGORITHMS.reduceScatter) expect(out[`reduceScatter/${a}`], `reduceScatter ${a}`).toEqual(plain(fold(op, mine)));
          expect(out.untouched, "inputs are never modified").toEqual(plain(make(kind, seed, r, length, logical)));
        });
      }),
      { numRuns: 100 },
    );
  });

  it("non-commutative user ops are applied in rank order by every algorithm", async () => {
    // 2x2 integer matrices mod 97: associative, not commutative.
    type M = [number, number, number, number];
    const mul = Op.create(
      (a: M, b: M): M => [
        (a[0] * b[0] + a[1] * b[2]) % 97,
        (a[0] * b[1] + a[1] * b[3]) % 97,
        (a[2] * b[0] + a[3] * b[2]) % 97,
        (a[2] * b[1] + a[3] * b[3]) % 97,
      ],
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 16 }), fc.nat({ max: 1000 }), fc.nat(), async (np, seed, rootSeed) => {
        const m = (r: number, k = 0): M => [(seed + r) % 7, (r * 3 + k) % 5, (seed * r + 1) % 11, (r + 2 + k) % 13];
        const root = rootSeed % np;
        const results = await onRanks(np, async (w) => {
          const me = w.rank;
          const out: Record<string, unknown> = {};
          for (const a of ALGORITHMS.allreduce) out[`allreduce/${a}`] = await w.allreduce(m(me), mul, { algorithm: a });
          for (const a of ALGORITHMS.reduce) out[`reduce/${a}`] = await w.reduce(m(me), mul, root, { algorithm: a });
          for (const a of ALGORITHMS.scan) out[`scan/${a}`] = await w.scan(m(me), mul, { algorithm: a });
          for (const a of ALGORITHMS.exscan) out[`exscan/${a}`] = await w.exscan(m(me), mul, { algorithm: a });
          const list = Array.from({ length: np }, (_, i) => m(me, i));
          for (const a of ALGORITHMS.reduceScatter) out[`reduceScatter/${a}`] = await w.reduceScatter(list, mul, { algorithm: a });
          return out;
        });
        const all = Array.from({ length: np }, (_, r) => m(r));
        results.forEach((out, r) => {
          for (const a of ALGORITHMS.allreduce) expect(out[`allreduce/${a}`], a).toEqual(fold(mul, all));
          for (const a of ALGORITHMS.reduce) expect(out[`reduce/${a}`], a).toEqual(r === root ? fold(mul, all) : undefined);
          for (const a of ALGORITHMS.scan) expect(out[`scan/${a}`], a).toEqual(fold(mul, all.slice(0, r + 1)));
          for (const a of ALGORITHMS.exscan) expect(out[`exscan/${a}`], a).toEqual(r === 0 ? undefined : fold(mul, all.slice(0, r)));
          for (const a of ALGORITHMS.reduceScatter)
            expect(out[`reduceScatter/${a}`], a).toEqual(
              fold(
                mul,
                Array.from({ length: np }, (_, q) => m(q, r)),
              ),
            );
        });
      }),
      { numRuns: 40 },
    );
  });

  it("large typed arrays (rendezvous-sized blocks) agree across allreduce algorithms and allreduceInto", async () => {
    for (const [np, base] of [
      [2, 30000],
      [3, 30000],
      [5, 30000],
      [8, 30000],
      [3, 400000],
      [4, 400000],
    ] as const) {
      const length = base + np; // 120 KB / 1.6 MB: above the eager limit, many reduce segments, not divisible by np
      const results = await onRanks(np, async (w) => {
        const out: string[] = [];
        for (const a of ALGORITHMS.allreduce) {
          const v = Int32Array.from({ length }, (_, i) => (i % 13) * (w.rank + 1));
          const r = await w.allreduce(v, Op.SUM, { algorithm: a });
          const into = v.slice();
          await w.allreduceInto(into, Op.SUM, { algorithm: a });
          out.push(`${a}:${checksum(r)}:${checksum(into)}`);
        }
        return out;
      });
      const want = Int32Array.from({ length }, (_, i) => ((i % 13) * np * (np + 1)) / 2);
      for (const out of results) expect(out).toEqual(ALGORITHMS.allreduce.map((a) => `${a}:${checksum(want)}:${checksum(want)}`));
    }
  });
});

function checksum(a: Int32Array): string {
  let h = 0;
  for (let i = 0; i < a.length; i++) h = (h * 31 + a[i]!) | 0;
  return `${a.length}/${h}`;
}
