/**
 * Exercises every collective, op, communicator and topology rule of API.md
 * and throws on the first mismatch. Expected values are computed locally from
 * what every rank is known to contribute (rank-derived data), so a wrong
 * answer anywhere fails the job. Run by test/coll/program.test.ts in the sim
 * engine (n = 1…16) and live.
 */
import { type CartComm, type Comm, dimsCreate, MpiError, Op, PROC_NULL, UNDEFINED } from "tsmpi";
// Every algorithm the library has, so a new one is exercised as soon as it exists.
import { ALGORITHMS } from "../../../src/coll/select.ts";

export default async function main(world: Comm): Promise<void> {
  const n = world.size;
  const me = world.rank;
  const fail = (what: string, got: unknown, want: unknown): never => {
    throw new Error(`rank ${me}: ${what}: got ${show(got)}, want ${show(want)}`);
  };
  const eq = (what: string, got: unknown, want: unknown): void => {
    if (show(got) !== show(want)) fail(what, got, want);
  };
  const ranks = Array.from({ length: n }, (_, r) => r);
  const sum = (f: (r: number) => number, upTo = n) => ranks.slice(0, upTo).reduce((a, r) => a + f(r), 0);

  // ---- every op on scalars, bigints, booleans, typed arrays, arrays and pairs
  const val = (r: number) => (r % 5) + 1;
  const scalarOps: [Op, (a: number, b: number) => number][] = [
    [Op.SUM, (a, b) => a + b],
    [Op.PROD, (a, b) => a * b],
    [Op.MIN, (a, b) => Math.min(a, b)],
    [Op.MAX, (a, b) => Math.max(a, b)],
    [Op.BAND, (a, b) => a & b],
    [Op.BOR, (a, b) => a | b],
    [Op.BXOR, (a, b) => a ^ b],
  ];
  for (const [op, f] of scalarOps) {
    const want = ranks.map(val).reduce(f);
    eq(`allreduce ${op.name} number`, await world.allreduce(val(me), op), want);
    eq(`allreduce ${op.name} bigint`, await world.allreduce(BigInt(val(me)), op), BigInt(want));
    eq(`allreduce ${op.name} Int32Array`, [...(await world.allreduce(Int32Array.of(val(me), -val(me)), op))], [want, ranks.map((r) => -val(r)).reduce(f)]);
    eq(`allreduce ${op.name} number[]`, await world.allreduce([val(me), 2], op), [want, ranks.map(() => 2).reduce(f)]);
    eq(`reduce ${op.name}`, await world.reduce(val(me), op, n - 1), me === n - 1 ? want : undefined);
    eq(
      `scan ${op.name}`,
      await world.scan(val(me), op),
      ranks
        .slice(0, me + 1)
        .map(val)
        .reduce(f),
    );
    eq(`exscan ${op.name}`, await world.exscan(val(me), op), me === 0 ? undefined : ranks.slice(0, me).map(val).reduce(f));
  }
  const odd = (r: number) => r % 2 === 1;
  eq("LAND", await world.allreduce(odd(me), Op.LAND), ranks.every(odd));
  eq("LOR", await world.allreduce(odd(me), Op.LOR), ranks.some(odd));
  eq("LXOR", await world.allreduce(odd(me), Op.LXOR), ranks.filter(odd).length % 2 === 1);
  eq("LAND numbers", await world.allreduce(me === 0 ? 0 : 3, Op.LAND), n === 1 ? 0 : 0);
  eq("LOR Uint8Array", [...(await world.allreduce(Uint8Array.of(me === 1 ? 1 : 0), Op.LOR))], [n > 1 ? 1 : 0]);
  const key = (r: number) => (r * 7) % 3;
  const minKey = Math.min(...ranks.map(key));
  const maxKey = Math.max(...ranks.map(key));
  eq("MINLOC (ties: lowest index)", await world.allreduce({ value: key(me), index: me }, Op.MINLOC), {
    value: minKey,
    index: ranks.find((r) => key(r) === minKey),
  });
  eq("MAXLOC (ties: lowest index)", await world.allreduce({ value: key(me), index: me }, Op.MAXLOC), {
    value: maxKey,
    index: ranks.find((r) => key(r) === maxKey),
  });

  // ---- non-commutative user op: applied in rank order
  const concat = Op.create((a: string, b: string) => a + b);
  const word = (r: number) => String.fromCharCode(97 + (r % 26));
  const all = ranks.map(word).join("");
  for (const algorithm of ALGORITHMS.allreduce) eq(`non-commutative allreduce ${algorithm}`, await world.allreduce(word(me), concat, { algorithm }), all);
  for (const algorithm of ALGORITHMS.reduce)
    eq(`non-commutative reduce ${algorithm}`, await world.reduce(word(me), concat, n >> 1, { algorithm }), me === n >> 1 ? all : undefined);
  for (const algorithm of ALGORITHMS.scan) eq(`non-commutative scan ${algorithm}`, await world.scan(word(me), concat, { algorithm }), all.slice(0, me + 1));
  for (const algorithm of ALGORITHMS.exscan)
    eq(`non-commutative exscan ${algorithm}`, await world.exscan(word(me), concat, { algorithm }), me === 0 ? undefined : all.slice(0, me));
  for (const algorithm of ALGORITHMS.reduceScatter) {
    eq(
      `non-commutative reduceScatter ${algorithm}`,
      await world.reduceScatter(
        ranks.map((i) => `${word(me)}${i}`),
        concat,
        { algorithm },
      ),
      ranks.map((r) => `${word(r)}${me}`).join(""),
    );
  }

  // ---- every collective under every forced algorithm, small and large arrays
  for (const len of [3, 20000]) {
    const mine = Float64Array.from({ length: len }, (_, i) => (i % 97) + me);
    const want = Float64Array.from({ length: len }, (_, i) => n * (i % 97) + sum((r) => r));
    for (const algorithm of ALGORITHMS.allreduce) {
      eq(`allreduce ${algorithm} len ${len}`, digest(await world.allreduce(mine, Op.SUM, { algorithm })), digest(want));
      const buf = mine.slice();
      await world.allreduceInto(buf, Op.SUM, { algorithm });
      eq(`allreduceInto ${algorithm} len ${len}`, digest(buf), digest(want));
    }
    eq("allreduce leaves the input alone", digest(mine), digest(Float64Array.from({ length: len }, (_, i) => (i % 97) + me)));
    for (const algorithm of ALGORITHMS.bcast) {
      for (const root of new Set([0, n - 1])) {
        const data = me === root ? Float64Array.from({ length: len }, (_, i) => i * 3 + root) : undefined;
        eq(
          `bcast ${algorithm} root ${root} len ${len}`,
          digest(await world.bcast(data, root, { algorithm })),
          digest(Float64Array.from({ length: len }, (_, i) => i * 3 + root)),
        );
      }
    }
  }
  for (const algorithm of ALGORITHMS.bcast)
    eq(`bcast object ${algorithm}`, await world.bcast(me === 0 ? { a: [1, "x"], m: new Map([[1, 2]]) } : undefined, 0, { algorithm }), {
      a: [1, "x"],
      m: new Map([[1, 2]]),
    });
  for (const algorithm of ALGORITHMS.barrier) await world.barrier({ algorithm });
  for (const algorithm of ALGORITHMS.gather) {
    for (const root of new Set([0, n - 1]))
      eq(`gather ${algorithm} root ${root}`, await world.gather(`r${me}`, root, { algorithm }), me === root ? ranks.map((r) => `r${r}`) : undefined);
  }
  for (const algorithm of ALGORITHMS.allgather)
    eq(
      `allgather ${algorithm}`,
      await world.allgather(Int16Array.of(me, -me), { algorithm }),
      ranks.map((r) => Int16Array.of(r, -r)),
    );
  for (const algorithm of ALGORITHMS.scatter) {
    const root = n - 1;
    eq(`scatter ${algorithm}`, await world.scatter(me === root ? ranks.map((r) => ({ to: r })) : undefined, root, { algorithm }), { to: me });
  }
  const block = (from: number, to: number) => Int32Array.from({ length: (from + to) % 4 }, (_, i) => from * 100 + to * 10 + i);
  for (const algorithm of ALGORITHMS.alltoall)
    eq(
      `alltoall(v) ${algorithm}`,
      await world.alltoall(
        ranks.map((to) => block(me, to)),
        { algorithm },
      ),
      ranks.map((from) => block(from, me)),
    );
  for (const algorithm of ALGORITHMS.reduceScatter)
    eq(
      `reduceScatter ${algorithm}`,
      await world.reduceScatter(
        ranks.map((i) => Int32Array.of(i, me)),
        Op.SUM,
        { algorithm },
      ),
      Int32Array.of(
        n * me,
        sum((r) => r),
      ),
    );
  for (const algorithm of ALGORITHMS.scan) eq(`scan array ${algorithm}`, await world.scan([me, 1], Op.SUM, { algorithm }), [sum((r) => r, me + 1), me + 1]);
  {
    const counts = ranks.map((r) => (r + me) % 3);
    const send = Int32Array.from({ length: counts.reduce((a, b) => a + b, 0) }, (_, i) => me * 1000 + i);
    const recvCounts = ranks.map((r) => (r + me) % 3);
    const recv = new Int32Array(recvCounts.reduce((a, b) => a + b, 0));
    await world.alltoallInto(send, counts, recv, recvCounts);
    const want: number[] = [];
    for (const from of ranks) {
      const theirCounts = ranks.map((r) => (r + from) % 3);
      const start = theirCounts.slice(0, me).reduce((a, b) => a + b, 0);
      for (let i = 0; i < theirCounts[me]!; i++) want.push(from * 1000 + start + i);
    }
    eq("alltoallInto", [...recv], want);
  }

  // ---- mismatches are errors on every rank, never garbage or a hang
  const code = async (p: Promise<unknown>) =>
    p.then(
      () => "none",
      (e: unknown) => (e instanceof MpiError ? e.code : String(e)),
    );
  // A mismatch breaks that communicator's collectives (without --check-collectives): each on a dup of its own. A
  // rank whose call returned before the mismatch showed elsewhere meets it at its next collective there.
  const mismatched = async (call: (c: Comm) => Promise<unknown>): Promise<string> => {
    const c = await world.dup();
    const first = await code(call(c));
    return first !== "none" ? first : code(c.barrier());
  };
  if (n > 1) {
    for (const algorithm of ALGORITHMS.allreduce) {
      eq(`length mismatch ${algorithm}`, await mismatched((c) => c.allreduce(new Float64Array(me === 1 ? 5 : 20000), Op.SUM, { algorithm })), "ERR_COLL_MISMATCH");
    }
    eq("length mismatch (rules)", await mismatched((c) => c.allreduce(new Float64Array(me === 1 ? 1 : 20000), Op.SUM)), "ERR_COLL_MISMATCH");
    eq("kind mismatch", await mismatched((c) => c.allreduce(me === 0 ? new Int32Array(2) : new Float64Array(2), Op.SUM)), "ERR_COLL_MISMATCH");
    eq("scalar vs array", await mismatched((c) => c.allreduce(me === 0 ? 1 : [1], Op.MAX)), "ERR_COLL_MISMATCH");
    eq("scan mismatch", await mismatched((c) => c.scan(me === 0 ? [1, 2] : [1], Op.SUM)), "ERR_COLL_MISMATCH");
    eq(
      "reduceScatter mismatch",
      await mismatched((c) =>
        c.reduceScatter(
          ranks.map(() => (me === 0 ? [1, 2] : [1])),
          Op.SUM,
        ),
      ),
      "ERR_COLL_MISMATCH",
    );
  }
  eq("boolean with SUM", await code(world.allreduce(true, Op.SUM)), "ERR_OP");
  eq("pair without MINLOC", await code(world.allreduce({ value: 1, index: 0 }, Op.SUM)), "ERR_OP");
  eq("after errors the world still works", await world.allreduce(1, Op.SUM), n);

  // ---- communicators: dup, split (colour/key order, UNDEFINED), concurrency
  const dup = await world.dup();
  eq("dup size", [dup.size, dup.rank], [n, me]);
  const half = await world.split(me % 2, -me);
  const mates = ranks.filter((r) => r % 2 === me % 2).reverse();
  eq("split order by key", [half!.size, half!.rank], [mates.length, mates.indexOf(me)]);
  const none = await world.split(me === 0 ? UNDEFINED : 1);
  eq("split UNDEFINED", none === null, me === 0);
  const [a, b, c] = await Promise.all([dup.allreduce(me, Op.SUM), half!.allgather(me), world.allreduce(1, Op.SUM)]);
  eq(
    "concurrent on dup",
    a,
    sum((r) => r),
  );
  eq("concurrent on split", b, [...mates].reverse().reverse());
  eq("concurrent on world", c, n);
  // Traffic on one communicator never matches another's, even with equal tags.
  if (n > 1) {
    const peer = (me + 1) % n;
    const from = (me - 1 + n) % n;
    const r1 = dup.irecv(from, 5);
    const r2 = world.irecv(from, 5);
    await Promise.all([world.send("world", peer, 5), dup.send("dup", peer, 5)]);
    eq("contexts kept apart", [(await r1).data, (await r2).data], ["dup", "world"]);
  }
  const node = await world.nodeComm();
  const leaders = await world.leaderComm();
  const myVm = world.placement.of(me).vm;
  eq("node comm", node.size, ranks.filter((r) => world.placement.of(r).vm === myVm).length);
  eq("leader comm", leaders === null, ranks.find((r) => world.placement.of(r).vm === myVm) !== me);

  // ---- Cartesian topologies
  const dims = dimsCreate(n, 2);
  eq("dimsCreate product", dims[0]! * dims[1]!, n);
  eq("dimsCreate(12, 2)", dimsCreate(12, 2), [4, 3]);
  eq("dimsCreate(16, 3)", dimsCreate(16, 3), [4, 2, 2]);
  eq("dimsCreate(6, [0, 3])", dimsCreate(6, [0, 3]), [2, 3]);
  const grid = (await world.cart(dims, [true, false])) as CartComm;
  eq("cart coords", grid.coords, [Math.floor(me / dims[1]!), me % dims[1]!]);
  eq("cart rankOf", grid.rankOf(grid.coords), me);
  const s0 = grid.shift(0, 1);
  eq("cart shift periodic", s0, { source: grid.rankOf([grid.coords[0]! - 1, grid.coords[1]!]), dest: grid.rankOf([grid.coords[0]! + 1, grid.coords[1]!]) });
  const s1 = grid.shift(1, 1);
  eq("cart shift edge", s1.dest, grid.coords[1] === dims[1]! - 1 ? PROC_NULL : me + 1);
  const row = await grid.sub([false, true]);
  eq("cart sub", [row.size, row.rank, row.dims], [dims[1], grid.coords[1], [dims[1]]]);
  eq(
    "cart sub allreduce",
    await row.allreduce(me, Op.SUM),
    sum((r) => (Math.floor(r / dims[1]!) === grid.coords[0] ? r : 0)),
  );
  const small = await world.cart([Math.max(1, n - 1)]);
  eq("cart beyond prod(dims) is null", small === null, n > 1 && me === n - 1);
  await world.barrier();
}

function show(v: unknown): string {
  return JSON.stringify(v, (_, x) => {
    if (typeof x === "bigint") return `${x}n`;
    if (ArrayBuffer.isView(x)) return `${x.constructor.name}[${Array.from(x as unknown as ArrayLike<number>).join(",")}]`;
    if (x instanceof Map) return { map: [...x] };
    if (x === undefined) return "undefined";
    return x;
  });
}

function digest(a: Float64Array): string {
  let h = 0;
  for (let i = 0; i < a.length; i++) h = (h * 31 + a[i]!) % 1000000007;
  return `${a.length}:${h}`;
}
