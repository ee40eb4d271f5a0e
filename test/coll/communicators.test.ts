/**
 * Communicators: split ordering and UNDEFINED, dup, context ids that never
 * collide, concurrent collectives on different communicators, and the
 * node-local / leader sub-communicators with hierarchical algorithms over a
 * placement of several VMs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UNDEFINED } from "../../src/constants.ts";
import { Op } from "../../src/coll/op.ts";
import { ResolvedPlacement } from "../../src/placement/resolved.ts";
import { fromRules, vmCount } from "../../src/coll/select.ts";
import { ALGORITHMS, type Comm, onRanks } from "./helpers.ts";

describe("split", () => {
  it("groups by colour, orders by key then old rank, and gives null for UNDEFINED", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 16 })
          .chain((np) =>
            fc.tuple(fc.constant(np), fc.array(fc.tuple(fc.integer({ min: -1, max: 3 }), fc.integer({ min: -2, max: 2 })), { minLength: np, maxLength: np })),
          ),
        async ([np, choice]) => {
          const colour = (r: number) => (choice[r]![0] < 0 ? UNDEFINED : choice[r]![0]);
          const results = await onRanks(np, async (w) => {
            const c = await w.split(colour(w.rank), choice[w.rank]![1]);
            if (!c) return null;
            return { size: c.size, rank: c.rank, members: Array.from(c.members), sum: await c.allreduce(w.rank, Op.SUM) };
          });
          results.forEach((got, r) => {
            if (colour(r) === UNDEFINED) {
              expect(got).toBeNull();
              return;
            }
            const group = Array.from({ length: np }, (_, q) => q)
              .filter((q) => colour(q) === colour(r))
              .sort((a, b) => choice[a]![1] - choice[b]![1] || a - b);
            expect(got).toEqual({ size: group.length, rank: group.indexOf(r), members: group, sum: group.reduce((a, b) => a + b, 0) });
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("context ids", () => {
  it("never collide between communicators a rank belongs to, however they are made", async () => {
    const results = await onRanks(6, async (w) => {
      const comms: Comm[] = [w];
      let cur: Comm = w;
      for (let i = 0; i < 6; i++) {
        const d = await cur.dup();
        comms.push(d);
        const s = await w.split(w.rank % (i + 1), -w.rank);
        if (s) comms.push(s);
        if (i % 2 === 0) {
          const g = await w.cart([2, 3]);
          if (g) comms.push(g, await g.sub([true, false]));
        }
        cur = d;
      }
      comms.push(await w.nodeComm());
      const ids = comms.flatMap((c) => [c.p2p.id, c.collective.id]);
      return ids;
    });
    for (const ids of results) expect(new Set(ids).size).toBe(ids.length);
  });

  it("stay distinct when communicators are created concurrently, on one parent or several", async () => {
    const results = await onRanks(6, async (w) => {
      const half = (await w.split(w.rank % 2))!;
      const made = await Promise.all([w.dup(), half.dup(), w.split(w.rank % 3), half.split(0), w.dup(), w.cart([2, 3])]);
      const comms = [w, half, ...made.filter((c) => c !== null)];
      const ids = comms.flatMap((c) => [c.p2p.id, c.collective.id]);
      const sums = await Promise.all(comms.map((c) => c.allreduce(1, Op.SUM)));
      return { distinct: new Set(ids).size === ids.length, sums };
    });
    for (const o of results) expect(o).toEqual({ distinct: true, sums: [6, 3, 6, 3, 2, 3, 6, 6] });
  });

  it("keeps traffic of equal tags apart and runs collectives on several communicators at once", async () => {
    const results = await onRanks(8, async (w) => {
      const d = await w.dup();
      const half = (await w.split(w.rank % 2))!;
      const next = (w.rank + 1) % 8;
      const prev = (w.rank + 7) % 8;
      const r1 = d.irecv(prev, 3);
      const r2 = w.irecv(prev, 3);
      await Promise.all([w.send(`w${w.rank}`, next, 3), d.send(`d${w.rank}`, next, 3)]);
      // Three collectives in flight at once on three communicators, plus user traffic on the world.
      const [a, b, c, m1, m2] = await Promise.all([
        w.allreduce(Float64Array.of(w.rank, 1), Op.SUM),
        d.allgather(w.rank * 10),
        half.bcast(half.rank === 0 ? `from ${w.rank}` : undefined),
        r1,
        r2,
      ]);
      return { a: [...a], b, c, m: [m1.data, m2.data] };
    });
    results.forEach((o, r) => {
      expect(o.a).toEqual([28, 8]);
      expect(o.b).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
      expect(o.c).toBe(`from ${r % 2}`);
      expect(o.m).toEqual([`d${(r + 7) % 8}`, `w${(r + 7) % 8}`]);
    });
  });

  it("collective traffic never matches a user's wildcard receive", async () => {
    const results = await onRanks(4, async (w) => {
      const r = w.irecv(); // ANY_SOURCE, ANY_TAG, posted before the collectives
      await w.allreduce(1, Op.SUM);
      await w.barrier();
      await w.alltoall([1, 2, 3, 4]);
      const early = r.test();
      await w.send("user", (w.rank + 1) % 4, 9);
      return { early, got: (await r).data };
    });
    for (const o of results) expect(o).toEqual({ early: false, got: "user" });
  });
});

describe("placement-aware (hierarchical) collectives", () => {
  // 9 ranks on 3 VMs, interleaved (rank r on VM r mod 3), two hosts.
  const np = 9;
  const vms = Array.from({ length: np }, (_, r) => `vm${r % 3}`);
  const hosts = Array.from({ length: np }, (_, r) => (r % 3 === 2 ? "host1" : "host0"));
  const placement = ResolvedPlacement.fromPairs(hosts, vms, (a, b) => (a === b ? "self" : vms[a] === vms[b] ? "memory" : "vf"));

  it("builds node-local and leader communicators from the placement", async () => {
    const results = await onRanks(
      np,
      async (w) => {
        const node = await w.nodeComm();
        const leaders = await w.leaderComm();
        return { node: Array.from(node.members), leaders: leaders ? Array.from(leaders.members) : null, vms: vmCount(w) };
      },
      { placement },
    );
    results.forEach((o, r) => {
      expect(o.node).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].filter((q) => q % 3 === r % 3));
      expect(o.leaders).toEqual(r < 3 ? [0, 1, 2] : null);
      expect(o.vms).toBe(3);
    });
  });

  it("are chosen by the built-in rules when ranks span VMs, and agree with the flat algorithms", async () => {
    const results = await onRanks(
      np,
      async (w) => {
        const picks = [
          fromRules(w, "allreduce", { commSize: np, vms: vmCount(w), bytes: 8, commutative: true }),
          fromRules(w, "bcast", { commSize: np, vms: vmCount(w), bytes: 8, commutative: true }),
          fromRules(w, "barrier", { commSize: np, vms: vmCount(w), bytes: 0, commutative: true }),
        ];
        const out: unknown[] = [picks];
        for (const root of [0, 4, 8]) {
          for (const a of ALGORITHMS.bcast) out.push(await w.bcast(w.rank === root ? `b${root}` : undefined, root, { algorithm: a }));
          out.push([...(await w.bcast(w.rank === root ? Float64Array.from({ length: 50000 }, (_, i) => i) : undefined, root))].slice(-2));
        }
        for (const a of ALGORITHMS.allreduce) out.push([...(await w.allreduce(Int32Array.of(w.rank, 1), Op.SUM, { algorithm: a }))]);
        out.push(await w.allreduce(w.rank, Op.MAX));
        for (const a of ALGORITHMS.barrier) await w.barrier({ algorithm: a });
        return out;
      },
      { placement },
    );
    const want: unknown[] = [["hierarchical", "hierarchical", "hierarchical"]];
    for (const root of [0, 4, 8]) {
      for (const _ of ALGORITHMS.bcast) want.push(`b${root}`);
      want.push([49998, 49999]);
    }
    for (const _ of ALGORITHMS.allreduce) want.push([36, 9]);
    want.push(8);
    for (const o of results) expect(o).toEqual(want);
  });

  it("collectives issued together on one communicator keep program order, even those that build sub-communicators", async () => {
    const results = await onRanks(
      np,
      async (w) => {
        const [a, b, g, c, , d] = await Promise.all([
          w.bcast(w.rank === 4 ? "four" : undefined, 4),
          w.allreduce(w.rank, Op.SUM),
          w.cart([3, 3], [true, true]),
          w.allgather(w.rank),
          w.barrier(),
          w.nodeComm().then((node) => node.allreduce(1, Op.SUM)),
        ]);
        return { a, b, shift: g!.shift(1, 1), c, d };
      },
      { placement },
    );
    results.forEach((o, r) => {
      expect(o.a).toBe("four");
      expect(o.b).toBe(36);
      expect(o.shift).toEqual({ source: r - (r % 3) + ((r + 2) % 3), dest: r - (r % 3) + ((r + 1) % 3) });
      expect(o.c).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      expect(o.d).toBe(3);
    });
  });
});
