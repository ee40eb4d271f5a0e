/**
 * Payload edges (issue 17): user-defined ops over Map, Set, Date and class
 * instances reduce to the same answer as a sequential fold, and a payload that
 * cannot travel (a function, a symbol) rejects at the send with an MpiError
 * instead of arriving as `undefined`. Runs on any engine and transport, any size.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { type Comm, MpiError, Op } from "tsmpi";

class Tally {
  count: number;
  constructor(count: number) {
    this.count = count;
  }
}

async function expectType(p: Promise<unknown>, rule: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    ok(e instanceof MpiError, `${rule}: expected an MpiError, got ${String(e)}`);
    strictEqual(e.code, "ERR_TYPE", `${rule}: expected ERR_TYPE, got ${e.code}: ${e.message}`);
    ok(/rank \d+, send: .*(function|symbol)/.test(e.message), `${rule}: the message names the rank, the call and what cannot travel: ${e.message}`);
    return;
  }
  throw new Error(`${rule}: expected ERR_TYPE, but the send succeeded`);
}

export default async function main(world: Comm): Promise<void> {
  const me = world.rank;
  const n = world.size;

  // Word counts as Maps, merged by a user op: every rank sees "all" n times and its own word once.
  const mergeCounts = Op.create<Map<string, number>>((a, b) => {
    const out = new Map(a);
    for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
    return out;
  });
  const counts = await world.allreduce(
    new Map([
      ["all", 1],
      [`w${me}`, 1],
    ]),
    mergeCounts,
  );
  const expected = new Map([["all", n]]);
  for (let r = 0; r < n; r++) expected.set(`w${r}`, 1);
  deepStrictEqual(new Map([...counts].sort()), new Map([...expected].sort()), "allreduce of Maps");
  const reduced = await world.reduce(new Map([["all", 1]]), mergeCounts, 0);
  if (me === 0) deepStrictEqual(reduced, new Map([["all", n]]), "reduce of Maps");

  // Sets: union.
  const union = Op.create<Set<number>>((a, b) => new Set([...a, ...b]));
  const all = await world.allreduce(new Set([me, 1000]), union);
  deepStrictEqual([...all].sort((x, y) => x - y), [...Array.from({ length: n }, (_, r) => r), 1000], "allreduce of Sets");

  // Dates: the latest; and a non-commutative op over Dates keeps rank order.
  const latest = Op.create<Date>((a, b) => (a.getTime() >= b.getTime() ? a : b));
  const last = await world.allreduce(new Date(Date.UTC(2020, 0, 1 + me)), latest);
  ok(last instanceof Date, "allreduce of Dates gives a Date");
  strictEqual(last.getTime(), Date.UTC(2020, 0, n), "allreduce of Dates");
  const firstOf = Op.create<Date>((a) => a, { commutative: false });
  const first = await world.scan(new Date(Date.UTC(2021, 0, 1 + me)), firstOf);
  strictEqual(first.getTime(), Date.UTC(2021, 0, 1), "scan of Dates, non-commutative");

  // Class instances: the op sees the fields (a peer's instance arrives as a plain object).
  const addTally = Op.create<Tally>((a, b) => new Tally(a.count + b.count));
  const tally = await world.allreduce(new Tally(me + 1), addTally);
  strictEqual(tally.count, (n * (n + 1)) / 2, "allreduce of class instances");
  const prefix = await world.scan(new Tally(1), addTally);
  strictEqual(prefix.count, me + 1, "scan of class instances");

  // The caller's value is never changed by a reduction.
  const mine = new Map([["all", 1]]);
  await world.allreduce(mine, mergeCounts);
  deepStrictEqual(mine, new Map([["all", 1]]), "the caller's Map is untouched");

  // Unsendable payloads reject at the send, before anything travels.
  const peer = (me + 1) % n;
  await expectType(world.send(() => 1, peer, 5), "a function");
  await expectType(world.send({ nested: { f() {} } }, peer, 5), "a function inside an object");
  await expectType(world.send([1, Symbol("s")], peer, 5), "a symbol inside an array");
  await expectType(world.isend(Symbol("s"), peer, 5) as unknown as Promise<void>, "a symbol");
  // Nothing of the above arrived: the next message on that tag is the real one.
  const from = (me - 1 + n) % n;
  const [, got] = await Promise.all([world.send("real", peer, 5), world.recv(from, 5)]);
  strictEqual(got.data, "real", "only the sendable message arrives");
  await world.barrier();
  if (me === 0) console.log("payload edges: ok");
}
