/**
 * Shared-memory collectives ("sm") against the point-to-point algorithms,
 * live in one VM: fast-check draws the same cases on every rank (one seed),
 * and every rank checks that "sm" gives exactly what a point-to-point
 * algorithm gives, on three communicators at once (world, a dup, a split),
 * for calls made back to back without waiting, for values too big for a
 * slot (every member falls back together) and for mismatched lengths
 * (every member gets the error). Throws on the first difference.
 */
import fc from "fast-check";
import { type Comm, MpiError, Op } from "tsmpi";
import { knownBank } from "../../../src/coll/shared/bank.ts";

const OPS = [Op.SUM, Op.MAX, Op.MIN, Op.PROD, Op.create((a: number, b: number) => a * 3 - b)];

interface Case {
  kind: number;
  len: number;
  root: number;
  op: number;
  salt: number;
}

const caseArb = fc.record({
  kind: fc.integer({ min: 0, max: 5 }),
  len: fc.integer({ min: 0, max: 300 }),
  root: fc.nat(),
  op: fc.integer({ min: 0, max: OPS.length - 1 }),
  salt: fc.integer({ min: -50, max: 50 }),
});

/** What rank `from` contributes (to rank `to`): assorted kinds and sizes, integer-valued so any order of sums is exact. */
function value(c: Case, from: number, to = 0): unknown {
  const len = (c.len + from + to) % 301;
  switch (c.kind) {
    case 0:
      return from * 10 + to + c.salt;
    case 1:
      return Float64Array.from({ length: len }, (_, i) => ((from + i + c.salt) % 7) - 3);
    case 2:
      return Int32Array.from({ length: len }, (_, i) => (from * 31 + i * 7 + to) % 1000);
    case 3:
      return { from, to, text: `v${c.salt}`, list: [1, [2, null]] };
    case 4:
      return `rank ${from} to ${to} ${"x".repeat(len)}`;
    default:
      return Array.from({ length: len % 9 }, (_, i) => from + i);
  }
}

/** A reducible value of one shape on every rank (lengths from the case, not the rank). */
function reducible(c: Case, from: number): unknown {
  const len = c.len % 50;
  if (c.kind % 3 === 0) return (from % 3) + 1 + (c.salt % 2);
  if (c.kind % 3 === 1) return Float64Array.from({ length: len }, (_, i) => ((from + i) % 3) + 1);
  return Int32Array.from({ length: len }, (_, i) => ((from * 7 + i) % 5) + 1);
}

const show = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? { [x.constructor.name]: Array.from(x as unknown as ArrayLike<number>) } : x));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "none";
  } catch (e) {
    return e instanceof MpiError ? e.code : String(e);
  }
}

export default async function main(world: Comm, args: string[] = []): Promise<void> {
  const seed = Number(args[0] ?? 1);
  const runs = Number(args[1] ?? 20);
  const dup = await world.dup();
  const half = (await world.split(world.rank % 2))!;
  const comms = [world, dup, half];
  const eq = (what: string, got: unknown, want: unknown): void => {
    if (show(got) !== show(want))
      throw new Error(`rank ${world.rank}: ${what}: sm gave ${show(got).slice(0, 200)}, point-to-point ${show(want).slice(0, 200)}`);
  };
  const sm = { algorithm: "sm" };
  for (const c of fc.sample(caseArb, { seed, numRuns: runs })) {
    // The three communicators' first calls agree on banks concurrently.
    await Promise.all(
      comms.map(async (comm) => {
        const n = comm.size;
        const me = comm.rank;
        const root = c.root % n;
        const ranks = Array.from({ length: n }, (_, r) => r);
        const op = OPS[c.op]!;
        const what = (name: string) => `${name} on a communicator of ${n} (case ${show(c)})`;
        await comm.barrier(sm);
        eq(what("bcast"), await comm.bcast(me === root ? value(c, root) : undefined, root, sm), value(c, root));
        eq(what("gather"), await comm.gather(value(c, me), root, sm), await comm.gather(value(c, me), root, { algorithm: "linear" }));
        eq(what("allgather"), await comm.allgather(value(c, me), sm), await comm.allgather(value(c, me), { algorithm: "ring" }));
        const blocks = me === root ? ranks.map((to) => value(c, root, to)) : undefined;
        eq(what("scatter"), await comm.scatter(blocks, root, sm), await comm.scatter(blocks, root, { algorithm: "binomial" }));
        const out = ranks.map((to) => value(c, me, to));
        eq(what("alltoall"), await comm.alltoall(out, sm), await comm.alltoall(out, { algorithm: "pairwise" }));
        const x = reducible(c, me);
        eq(what(`allreduce ${op.name}`), await comm.allreduce(x, op, sm), await comm.allreduce(x, op, { algorithm: "linear" }));
        eq(what(`reduce ${op.name}`), await comm.reduce(x, op, root, sm), await comm.reduce(x, op, root, { algorithm: "linear" }));
        if (ArrayBuffer.isView(x)) {
          const into = (x as Float64Array).slice();
          await comm.allreduceInto(into, op.builtin ? op : Op.SUM, sm);
          eq(what("allreduceInto"), into, await comm.allreduce(x, op.builtin ? op : Op.SUM, { algorithm: "linear" }));
        }
      }),
    );
  }
  for (const comm of comms) {
    const n = comm.size;
    const me = comm.rank;
    // Back to back, not awaited: more calls than slots, so writers must wait for slow readers.
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 70; i++) pending.push(i % 2 ? comm.bcast(i * 100 + (me === i % n ? 1 : 0), i % n, sm) : comm.allreduce(me + i, Op.SUM, sm));
    const got = await Promise.all(pending);
    for (const [i, g] of got.entries()) eq(`back-to-back call ${i}`, g, i % 2 ? i * 100 + 1 : (n * (n - 1)) / 2 + n * i);
    // Too big for a slot: every member falls back together, the root's size decides for bcast.
    const big = Float64Array.from({ length: 200_000 }, (_, i) => (i % 11) + me);
    // Too big for a slot, typed: exposed and copied straight out of each member's memory (slots.ts, exposed.ts).
    eq("allreduce too big for a slot", await comm.allreduce(big, Op.SUM, sm), await comm.allreduce(big, Op.SUM, { algorithm: "ring" }));
    const inPlace = big.slice();
    await comm.allreduceInto(inPlace, Op.MAX, sm);
    eq("allreduceInto too big for a slot", inPlace, await comm.allreduce(big, Op.MAX, { algorithm: "ring" }));
    eq(
      "bcast too big for a slot",
      await comm.bcast(me === 0 ? big : undefined, 0, sm),
      await comm.bcast(me === 0 ? big : undefined, 0, { algorithm: "binomial" }),
    );
    const mixed = me === n - 1 ? big : Float64Array.of(me);
    eq("allgather with one value too big", await comm.allgather(mixed, sm), await comm.allgather(mixed, { algorithm: "linear" }));
    // A length mismatch reaches every member as the same error (and breaks that communicator's collectives: each on its own).
    if (n > 1) {
      const code = await codeOf((await comm.dup()).allreduce(new Float64Array(me === 0 ? 3 : 4), Op.SUM, sm));
      if (code !== "ERR_COLL_MISMATCH") throw new Error(`rank ${world.rank}: mismatched lengths gave ${code}, want ERR_COLL_MISMATCH on every rank`);
      const code2 = await codeOf((await comm.dup()).allreduce(me === 0 ? new Float64Array(3) : Float64Array.from({ length: 200_000 }), Op.SUM, sm));
      if (code2 !== "ERR_COLL_MISMATCH") throw new Error(`rank ${world.rank}: one value too big and a mismatch gave ${code2}, want ERR_COLL_MISMATCH on every rank`);
      const code3 = await codeOf((await comm.dup()).allreduce(Float64Array.from({ length: me === 0 ? 200_000 : 200_001 }), Op.SUM, sm));
      if (code3 !== "ERR_COLL_MISMATCH") throw new Error(`rank ${world.rank}: two exposed values of different lengths gave ${code3}, want ERR_COLL_MISMATCH on every rank`);
    }
    // The communicator really ran in shared memory (a bank was agreed), not through a fallback.
    if (n > 1 && !knownBank(comm)) throw new Error(`rank ${world.rank}: a communicator of ${n} in one VM has no shared-memory bank`);
    await comm.barrier(sm);
  }
}
