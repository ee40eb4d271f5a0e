/**
 * bcast, gather, allgather, scatter, alltoall(v) and barrier under every
 * forced algorithm against the obvious sequential reference, for
 * communicator sizes 1…16 and arbitrary roots and values.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALGORITHMS, onRanks, plain } from "./helpers.ts";

/** Values of assorted kinds and sizes; typed arrays of different lengths exercise alltoallv. */
function value(seed: number, from: number, to = 0): unknown {
  const k = (seed + from * 7 + to * 3) % 6;
  const len = (seed + from + 2 * to) % 5;
  switch (k) {
    case 0:
      return from * 1000 + to;
    case 1:
      return `s${from}-${to}`;
    case 2:
      return Float64Array.from({ length: len }, (_, i) => from + to / 10 + i);
    case 3:
      return { from, to, list: [1, "two", [3]] };
    case 4:
      return Int8Array.from({ length: len * 3 }, (_, i) => (from - to + i) % 100);
    default:
      return [from, to, null, true];
  }
}

describe("data movement matches the sequential reference under every algorithm", () => {
  it("bcast, gather, allgather, scatter, alltoall, barrier", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 16 }), fc.nat({ max: 1000 }), fc.nat(), async (np, seed, rootSeed) => {
        const root = rootSeed % np;
        const ranks = Array.from({ length: np }, (_, r) => r);
        const results = await onRanks(np, async (w) => {
          const me = w.rank;
          const out: Record<string, unknown> = {};
          for (const a of ALGORITHMS.barrier) await w.barrier({ algorithm: a });
          for (const a of ALGORITHMS.bcast) out[`bcast/${a}`] = plain(await w.bcast(me === root ? value(seed, root) : undefined, root, { algorithm: a }));
          for (const a of ALGORITHMS.gather) out[`gather/${a}`] = plain(await w.gather(value(seed, me), root, { algorithm: a }));
          for (const a of ALGORITHMS.allgather) out[`allgather/${a}`] = plain(await w.allgather(value(seed, me), { algorithm: a }));
          for (const a of ALGORITHMS.scatter) {
            out[`scatter/${a}`] = plain(await w.scatter(me === root ? ranks.map((to) => value(seed, root, to)) : undefined, root, { algorithm: a }));
          }
          for (const a of ALGORITHMS.alltoall)
            out[`alltoall/${a}`] = plain(
              await w.alltoall(
                ranks.map((to) => value(seed, me, to)),
                { algorithm: a },
              ),
            );
          return out;
        });
        results.forEach((out, r) => {
          for (const a of ALGORITHMS.bcast) expect(out[`bcast/${a}`], a).toEqual(plain(value(seed, root)));
          for (const a of ALGORITHMS.gather) expect(out[`gather/${a}`], a).toEqual(r === root ? plain(ranks.map((q) => value(seed, q))) : undefined);
          for (const a of ALGORITHMS.allgather) expect(out[`allgather/${a}`], a).toEqual(plain(ranks.map((q) => value(seed, q))));
          for (const a of ALGORITHMS.scatter) expect(out[`scatter/${a}`], a).toEqual(plain(value(seed, root, r)));
          for (const a of ALGORITHMS.alltoall) expect(out[`alltoall/${a}`], a).toEqual(plain(ranks.map((from) => value(seed, from, r))));
        });
      }),
      { numRuns: 60 },
    );
  });

  it("large typed bcast splits (scatter-allgather) and arrives whole from any root", async () => {
    for (const np of [2, 3, 6, 9]) {
      const length = 70001;
      const results = await onRanks(np, async (w) => {
        const out: number[] = [];
        for (const a of ALGORITHMS.bcast) {
          for (const root of [0, np - 1]) {
            const data = w.rank === root ? Float64Array.from({ length }, (_, i) => i + root) : undefined;
            const got = await w.bcast(data, root, { algorithm: a });
            let bad = got.length === length && got instanceof Float64Array ? 0 : 1;
            for (let i = 0; i < length; i++) if (got[i] !== i + root) bad++;
            out.push(bad);
          }
        }
        // The default rules (root-decided split for large arrays) too.
        const got = await w.bcast(w.rank === 0 ? Int32Array.from({ length: 200000 }, (_, i) => i) : undefined);
        out.push(got.length === 200000 && got[199999] === 199999 && got[12345] === 12345 ? 0 : 1);
        return out;
      });
      for (const out of results) expect(out.every((b) => b === 0)).toBe(true);
    }
  });

  it("alltoallInto moves typed blocks of per-pair counts into the caller's buffer", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.nat({ max: 100 }), async (np, seed) => {
        const count = (from: number, to: number) => (seed + from * 3 + to) % 4;
        const results = await onRanks(np, async (w) => {
          const me = w.rank;
          const sendCounts = Array.from({ length: np }, (_, to) => count(me, to));
          const recvCounts = Array.from({ length: np }, (_, from) => count(from, me));
          const send = new Float32Array(sendCounts.reduce((a, b) => a + b, 0));
          let k = 0;
          for (let to = 0; to < np; to++) for (let i = 0; i < sendCounts[to]!; i++) send[k++] = me * 100 + to + i / 8;
          const recv = new Float32Array(recvCounts.reduce((a, b) => a + b, 0));
          await w.alltoallInto(send, sendCounts, recv, recvCounts);
          return [...recv];
        });
        results.forEach((got, r) => {
          const want: number[] = [];
          for (let from = 0; from < np; from++) for (let i = 0; i < count(from, r); i++) want.push(from * 100 + r + i / 8);
          expect(got).toEqual(want);
        });
      }),
      { numRuns: 25 },
    );
  });

  it("alltoallInto on the same buffers again, with other counts and then the first ones again, lands every call's blocks where that call's counts put them", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.array(fc.nat({ max: 100 }), { minLength: 2, maxLength: 4 }), async (np, seeds) => {
        const count = (seed: number, from: number, to: number) => (seed + from * 3 + to) % 4;
        const rounds = [...seeds, seeds[0]!];
        const results = await onRanks(np, async (w) => {
          const me = w.rank;
          // One pair of buffers for every call, large enough for any counts (at most 3 elements per block).
          const send = new Int32Array(3 * np);
          const recv = new Int32Array(3 * np);
          const got: number[][] = [];
          for (const [round, seed] of rounds.entries()) {
            const sendCounts = Array.from({ length: np }, (_, to) => count(seed, me, to));
            const recvCounts = Array.from({ length: np }, (_, from) => count(seed, from, me));
            let k = 0;
            for (let to = 0; to < np; to++) for (let i = 0; i < sendCounts[to]!; i++) send[k++] = round * 10000 + me * 100 + to * 4 + i;
            recv.fill(-1);
            await w.alltoallInto(send, sendCounts, recv, recvCounts);
            got.push([...recv.subarray(0, recvCounts.reduce((a, b) => a + b, 0))]);
          }
          return got;
        });
        results.forEach((got, r) => {
          rounds.forEach((seed, round) => {
            const want: number[] = [];
            for (let from = 0; from < np; from++) for (let i = 0; i < count(seed, from, r); i++) want.push(round * 10000 + from * 100 + r * 4 + i);
            expect(got[round]).toEqual(want);
          });
        });
      }),
      { numRuns: 25 },
    );
  });
});
