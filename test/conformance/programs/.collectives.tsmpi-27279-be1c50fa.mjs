// test/conformance/programs/collectives.ts
import { dimsCreate, MpiError as MpiError2, Op, PROC_NULL, UNDEFINED } from "/work/wt/pkg/index.ts";

// src/coll/select.ts
var ALGORITHMS = {
  barrier: ["dissemination", "tree", "linear", "hierarchical"],
  bcast: ["binomial", "scatter_allgather", "pipeline", "linear", "hierarchical"],
  reduce: ["binomial", "linear"],
  allreduce: ["recursive_doubling", "linear", "ring", "rabenseifner", "reduce_bcast", "hierarchical"],
  scan: ["recursive_doubling", "linear"],
  exscan: ["recursive_doubling", "linear"],
  gather: ["binomial", "linear"],
  scatter: ["binomial", "linear"],
  allgather: ["recursive_doubling", "bruck", "ring", "linear"],
  alltoall: ["linear", "pairwise", "bruck"],
  reduceScatter: ["reduce_scatter", "pairwise"]
};
var builtin = new URL("./rules.json", import.meta.url);

// test/conformance/programs/collectives.ts
async function main(world) {
  const n = world.size;
  const me = world.rank;
  const fail = (what, got, want) => {
    throw new Error(`rank ${me}: ${what}: got ${show(got)}, want ${show(want)}`);
  };
  const eq = (what, got, want) => {
    if (show(got) !== show(want)) fail(what, got, want);
  };
  const ranks = Array.from({ length: n }, (_, r) => r);
  const sum = (f, upTo = n) => ranks.slice(0, upTo).reduce((a2, r) => a2 + f(r), 0);
  const val = (r) => r % 5 + 1;
  const scalarOps = [
    [Op.SUM, (a2, b2) => a2 + b2],
    [Op.PROD, (a2, b2) => a2 * b2],
    [Op.MIN, (a2, b2) => Math.min(a2, b2)],
    [Op.MAX, (a2, b2) => Math.max(a2, b2)],
    [Op.BAND, (a2, b2) => a2 & b2],
    [Op.BOR, (a2, b2) => a2 | b2],
    [Op.BXOR, (a2, b2) => a2 ^ b2]
  ];
  for (const [op, f] of scalarOps) {
    const want = ranks.map(val).reduce(f);
    eq(`allreduce ${op.name} number`, await world.allreduce(val(me), op), want);
    eq(`allreduce ${op.name} bigint`, await world.allreduce(BigInt(val(me)), op), BigInt(want));
    eq(`allreduce ${op.name} Int32Array`, [...await world.allreduce(Int32Array.of(val(me), -val(me)), op)], [want, ranks.map((r) => -val(r)).reduce(f)]);
    eq(`allreduce ${op.name} number[]`, await world.allreduce([val(me), 2], op), [want, ranks.map(() => 2).reduce(f)]);
    eq(`reduce ${op.name}`, await world.reduce(val(me), op, n - 1), me === n - 1 ? want : void 0);
    eq(
      `scan ${op.name}`,
      await world.scan(val(me), op),
      ranks.slice(0, me + 1).map(val).reduce(f)
    );
    eq(`exscan ${op.name}`, await world.exscan(val(me), op), me === 0 ? void 0 : ranks.slice(0, me).map(val).reduce(f));
  }
  const odd = (r) => r % 2 === 1;
  eq("LAND", await world.allreduce(odd(me), Op.LAND), ranks.every(odd));
  eq("LOR", await world.allreduce(odd(me), Op.LOR), ranks.some(odd));
  eq("LXOR", await world.allreduce(odd(me), Op.LXOR), ranks.filter(odd).length % 2 === 1);
  eq("LAND numbers", await world.allreduce(me === 0 ? 0 : 3, Op.LAND), n === 1 ? 0 : 0);
  eq("LOR Uint8Array", [...await world.allreduce(Uint8Array.of(me === 1 ? 1 : 0), Op.LOR)], [n > 1 ? 1 : 0]);
  const key = (r) => r * 7 % 3;
  const minKey = Math.min(...ranks.map(key));
  const maxKey = Math.max(...ranks.map(key));
  eq("MINLOC (ties: lowest index)", await world.allreduce({ value: key(me), index: me }, Op.MINLOC), {
    value: minKey,
    index: ranks.find((r) => key(r) === minKey)
  });
  eq("MAXLOC (ties: lowest index)", await world.allreduce({ value: key(me), index: me }, Op.MAXLOC), {
    value: maxKey,
    index: ranks.find((r) => key(r) === maxKey)
  });
  const concat = Op.create((a2, b2) => a2 + b2);
  const word = (r) => String.fromCharCode(97 + r % 26);
  const all = ranks.map(word).join("");
  for (const algorithm of ALGORITHMS.allreduce) eq(`non-commutative allreduce ${algorithm}`, await world.allreduce(word(me), concat, { algorithm }), all);
  for (const algorithm of ALGORITHMS.reduce)
    eq(`non-commutative reduce ${algorithm}`, await world.reduce(word(me), concat, n >> 1, { algorithm }), me === n >> 1 ? all : void 0);
  for (const algorithm of ALGORITHMS.scan) eq(`non-commutative scan ${algorithm}`, await world.scan(word(me), concat, { algorithm }), all.slice(0, me + 1));
  for (const algorithm of ALGORITHMS.exscan)
    eq(`non-commutative exscan ${algorithm}`, await world.exscan(word(me), concat, { algorithm }), me === 0 ? void 0 : all.slice(0, me));
  for (const algorithm of ALGORITHMS.reduceScatter) {
    eq(
      `non-commutative reduceScatter ${algorithm}`,
      await world.reduceScatter(
        ranks.map((i) => `${word(me)}${i}`),
        concat,
        { algorithm }
      ),
      ranks.map((r) => `${word(r)}${me}`).join("")
    );
  }
  for (const len of [3, 2e4]) {
    const mine = Float64Array.from({ length: len }, (_, i) => i % 97 + me);
    const want = Float64Array.from({ length: len }, (_, i) => n * (i % 97) + sum((r) => r));
    for (const algorithm of ALGORITHMS.allreduce) {
      eq(`allreduce ${algorithm} len ${len}`, digest(await world.allreduce(mine, Op.SUM, { algorithm })), digest(want));
      const buf = mine.slice();
      await world.allreduceInto(buf, Op.SUM, { algorithm });
      eq(`allreduceInto ${algorithm} len ${len}`, digest(buf), digest(want));
    }
    eq("allreduce leaves the input alone", digest(mine), digest(Float64Array.from({ length: len }, (_, i) => i % 97 + me)));
    for (const algorithm of ALGORITHMS.bcast) {
      for (const root of /* @__PURE__ */ new Set([0, n - 1])) {
        const data = me === root ? Float64Array.from({ length: len }, (_, i) => i * 3 + root) : void 0;
        eq(
          `bcast ${algorithm} root ${root} len ${len}`,
          digest(await world.bcast(data, root, { algorithm })),
          digest(Float64Array.from({ length: len }, (_, i) => i * 3 + root))
        );
      }
    }
  }
  for (const algorithm of ALGORITHMS.bcast)
    eq(`bcast object ${algorithm}`, await world.bcast(me === 0 ? { a: [1, "x"], m: /* @__PURE__ */ new Map([[1, 2]]) } : void 0, 0, { algorithm }), {
      a: [1, "x"],
      m: /* @__PURE__ */ new Map([[1, 2]])
    });
  for (const algorithm of ALGORITHMS.barrier) await world.barrier({ algorithm });
  for (const algorithm of ALGORITHMS.gather) {
    for (const root of /* @__PURE__ */ new Set([0, n - 1]))
      eq(`gather ${algorithm} root ${root}`, await world.gather(`r${me}`, root, { algorithm }), me === root ? ranks.map((r) => `r${r}`) : void 0);
  }
  for (const algorithm of ALGORITHMS.allgather)
    eq(
      `allgather ${algorithm}`,
      await world.allgather(Int16Array.of(me, -me), { algorithm }),
      ranks.map((r) => Int16Array.of(r, -r))
    );
  for (const algorithm of ALGORITHMS.scatter) {
    const root = n - 1;
    eq(`scatter ${algorithm}`, await world.scatter(me === root ? ranks.map((r) => ({ to: r })) : void 0, root, { algorithm }), { to: me });
  }
  const block = (from, to) => Int32Array.from({ length: (from + to) % 4 }, (_, i) => from * 100 + to * 10 + i);
  for (const algorithm of ALGORITHMS.alltoall)
    eq(
      `alltoall(v) ${algorithm}`,
      await world.alltoall(
        ranks.map((to) => block(me, to)),
        { algorithm }
      ),
      ranks.map((from) => block(from, me))
    );
  for (const algorithm of ALGORITHMS.reduceScatter)
    eq(
      `reduceScatter ${algorithm}`,
      await world.reduceScatter(
        ranks.map((i) => Int32Array.of(i, me)),
        Op.SUM,
        { algorithm }
      ),
      Int32Array.of(
        n * me,
        sum((r) => r)
      )
    );
  for (const algorithm of ALGORITHMS.scan) eq(`scan array ${algorithm}`, await world.scan([me, 1], Op.SUM, { algorithm }), [sum((r) => r, me + 1), me + 1]);
  {
    const counts = ranks.map((r) => (r + me) % 3);
    const send = Int32Array.from({ length: counts.reduce((a2, b2) => a2 + b2, 0) }, (_, i) => me * 1e3 + i);
    const recvCounts = ranks.map((r) => (r + me) % 3);
    const recv = new Int32Array(recvCounts.reduce((a2, b2) => a2 + b2, 0));
    await world.alltoallInto(send, counts, recv, recvCounts);
    const want = [];
    for (const from of ranks) {
      const theirCounts = ranks.map((r) => (r + from) % 3);
      const start = theirCounts.slice(0, me).reduce((a2, b2) => a2 + b2, 0);
      for (let i = 0; i < theirCounts[me]; i++) want.push(from * 1e3 + start + i);
    }
    eq("alltoallInto", [...recv], want);
  }
  const code = async (p) => p.then(
    () => "none",
    (e) => e instanceof MpiError2 ? e.code : String(e)
  );
  if (n > 1) {
    for (const algorithm of ALGORITHMS.allreduce) {
      eq(`length mismatch ${algorithm}`, await code(world.allreduce(new Float64Array(me === 1 ? 5 : 2e4), Op.SUM, { algorithm })), "ERR_COUNT");
    }
    eq("length mismatch (rules)", await code(world.allreduce(new Float64Array(me === 1 ? 1 : 2e4), Op.SUM)), "ERR_COUNT");
    eq("kind mismatch", await code(world.allreduce(me === 0 ? new Int32Array(2) : new Float64Array(2), Op.SUM)), "ERR_OP");
    eq("scalar vs array", await code(world.allreduce(me === 0 ? 1 : [1], Op.MAX)), "ERR_OP");
    eq("scan mismatch", await code(world.scan(me === 0 ? [1, 2] : [1], Op.SUM)), "ERR_COUNT");
    eq(
      "reduceScatter mismatch",
      await code(
        world.reduceScatter(
          ranks.map(() => me === 0 ? [1, 2] : [1]),
          Op.SUM
        )
      ),
      "ERR_COUNT"
    );
  }
  eq("boolean with SUM", await code(world.allreduce(true, Op.SUM)), "ERR_OP");
  eq("pair without MINLOC", await code(world.allreduce({ value: 1, index: 0 }, Op.SUM)), "ERR_OP");
  eq("after errors the world still works", await world.allreduce(1, Op.SUM), n);
  const dup = await world.dup();
  eq("dup size", [dup.size, dup.rank], [n, me]);
  const half = await world.split(me % 2, -me);
  const mates = ranks.filter((r) => r % 2 === me % 2).reverse();
  eq("split order by key", [half.size, half.rank], [mates.length, mates.indexOf(me)]);
  const none = await world.split(me === 0 ? UNDEFINED : 1);
  eq("split UNDEFINED", none === null, me === 0);
  const [a, b, c] = await Promise.all([dup.allreduce(me, Op.SUM), half.allgather(me), world.allreduce(1, Op.SUM)]);
  eq(
    "concurrent on dup",
    a,
    sum((r) => r)
  );
  eq("concurrent on split", b, [...mates].reverse().reverse());
  eq("concurrent on world", c, n);
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
  const dims = dimsCreate(n, 2);
  eq("dimsCreate product", dims[0] * dims[1], n);
  eq("dimsCreate(12, 2)", dimsCreate(12, 2), [4, 3]);
  eq("dimsCreate(16, 3)", dimsCreate(16, 3), [4, 2, 2]);
  eq("dimsCreate(6, [0, 3])", dimsCreate(6, [0, 3]), [2, 3]);
  const grid = await world.cart(dims, [true, false]);
  eq("cart coords", grid.coords, [Math.floor(me / dims[1]), me % dims[1]]);
  eq("cart rankOf", grid.rankOf(grid.coords), me);
  const s0 = grid.shift(0, 1);
  eq("cart shift periodic", s0, { source: grid.rankOf([grid.coords[0] - 1, grid.coords[1]]), dest: grid.rankOf([grid.coords[0] + 1, grid.coords[1]]) });
  const s1 = grid.shift(1, 1);
  eq("cart shift edge", s1.dest, grid.coords[1] === dims[1] - 1 ? PROC_NULL : me + 1);
  const row = await grid.sub([false, true]);
  eq("cart sub", [row.size, row.rank, row.dims], [dims[1], grid.coords[1], [dims[1]]]);
  eq(
    "cart sub allreduce",
    await row.allreduce(me, Op.SUM),
    sum((r) => Math.floor(r / dims[1]) === grid.coords[0] ? r : 0)
  );
  const small = await world.cart([Math.max(1, n - 1)]);
  eq("cart beyond prod(dims) is null", small === null, n > 1 && me === n - 1);
  await world.barrier();
}
function show(v) {
  return JSON.stringify(v, (_, x) => {
    if (typeof x === "bigint") return `${x}n`;
    if (ArrayBuffer.isView(x)) return `${x.constructor.name}[${Array.from(x).join(",")}]`;
    if (x instanceof Map) return { map: [...x] };
    if (x === void 0) return "undefined";
    return x;
  });
}
function digest(a) {
  let h = 0;
  for (let i = 0; i < a.length; i++) h = (h * 31 + a[i]) % 1000000007;
  return `${a.length}:${h}`;
}
export {
  main as default
};
//# sourceMappingURL=data:application/json;base64,ewogICJ2ZXJzaW9uIjogMywKICAic291cmNlcyI6IFsiY29sbGVjdGl2ZXMudHMiLCAiLi4vLi4vLi4vc3JjL2NvbGwvc2VsZWN0LnRzIl0sCiAgIm1hcHBpbmdzIjogIjtBQU9BLFNBQW1DLFlBQVksWUFBQUEsV0FBVSxJQUFJLFdBQVcsaUJBQWlCOzs7QUNNbEYsSUFBTSxhQUFhO0FBQUEsRUFDeEIsU0FBUyxDQUFDLGlCQUFpQixRQUFRLFVBQVUsY0FBYztBQUFBLEVBQzNELE9BQU8sQ0FBQyxZQUFZLHFCQUFxQixZQUFZLFVBQVUsY0FBYztBQUFBLEVBQzdFLFFBQVEsQ0FBQyxZQUFZLFFBQVE7QUFBQSxFQUM3QixXQUFXLENBQUMsc0JBQXNCLFVBQVUsUUFBUSxnQkFBZ0IsZ0JBQWdCLGNBQWM7QUFBQSxFQUNsRyxNQUFNLENBQUMsc0JBQXNCLFFBQVE7QUFBQSxFQUNyQyxRQUFRLENBQUMsc0JBQXNCLFFBQVE7QUFBQSxFQUN2QyxRQUFRLENBQUMsWUFBWSxRQUFRO0FBQUEsRUFDN0IsU0FBUyxDQUFDLFlBQVksUUFBUTtBQUFBLEVBQzlCLFdBQVcsQ0FBQyxzQkFBc0IsU0FBUyxRQUFRLFFBQVE7QUFBQSxFQUMzRCxVQUFVLENBQUMsVUFBVSxZQUFZLE9BQU87QUFBQSxFQUN4QyxlQUFlLENBQUMsa0JBQWtCLFVBQVU7QUFDOUM7QUEyREEsSUFBTSxVQUFVLElBQUksSUFBSSxnQkFBZ0IsWUFBWSxHQUFHOzs7QUR6RXZELGVBQU8sS0FBNEIsT0FBNEI7QUFDN0QsUUFBTSxJQUFJLE1BQU07QUFDaEIsUUFBTSxLQUFLLE1BQU07QUFDakIsUUFBTSxPQUFPLENBQUMsTUFBYyxLQUFjLFNBQXlCO0FBQ2pFLFVBQU0sSUFBSSxNQUFNLFFBQVEsRUFBRSxLQUFLLElBQUksU0FBUyxLQUFLLEdBQUcsQ0FBQyxVQUFVLEtBQUssSUFBSSxDQUFDLEVBQUU7QUFBQSxFQUM3RTtBQUNBLFFBQU0sS0FBSyxDQUFDLE1BQWMsS0FBYyxTQUF3QjtBQUM5RCxRQUFJLEtBQUssR0FBRyxNQUFNLEtBQUssSUFBSSxFQUFHLE1BQUssTUFBTSxLQUFLLElBQUk7QUFBQSxFQUNwRDtBQUNBLFFBQU0sUUFBUSxNQUFNLEtBQUssRUFBRSxRQUFRLEVBQUUsR0FBRyxDQUFDLEdBQUcsTUFBTSxDQUFDO0FBQ25ELFFBQU0sTUFBTSxDQUFDLEdBQTBCLE9BQU8sTUFBTSxNQUFNLE1BQU0sR0FBRyxJQUFJLEVBQUUsT0FBTyxDQUFDQyxJQUFHLE1BQU1BLEtBQUksRUFBRSxDQUFDLEdBQUcsQ0FBQztBQUdyRyxRQUFNLE1BQU0sQ0FBQyxNQUFlLElBQUksSUFBSztBQUNyQyxRQUFNLFlBQXNEO0FBQUEsSUFDMUQsQ0FBQyxHQUFHLEtBQUssQ0FBQ0EsSUFBR0MsT0FBTUQsS0FBSUMsRUFBQztBQUFBLElBQ3hCLENBQUMsR0FBRyxNQUFNLENBQUNELElBQUdDLE9BQU1ELEtBQUlDLEVBQUM7QUFBQSxJQUN6QixDQUFDLEdBQUcsS0FBSyxDQUFDRCxJQUFHQyxPQUFNLEtBQUssSUFBSUQsSUFBR0MsRUFBQyxDQUFDO0FBQUEsSUFDakMsQ0FBQyxHQUFHLEtBQUssQ0FBQ0QsSUFBR0MsT0FBTSxLQUFLLElBQUlELElBQUdDLEVBQUMsQ0FBQztBQUFBLElBQ2pDLENBQUMsR0FBRyxNQUFNLENBQUNELElBQUdDLE9BQU1ELEtBQUlDLEVBQUM7QUFBQSxJQUN6QixDQUFDLEdBQUcsS0FBSyxDQUFDRCxJQUFHQyxPQUFNRCxLQUFJQyxFQUFDO0FBQUEsSUFDeEIsQ0FBQyxHQUFHLE1BQU0sQ0FBQ0QsSUFBR0MsT0FBTUQsS0FBSUMsRUFBQztBQUFBLEVBQzNCO0FBQ0EsYUFBVyxDQUFDLElBQUksQ0FBQyxLQUFLLFdBQVc7QUFDL0IsVUFBTSxPQUFPLE1BQU0sSUFBSSxHQUFHLEVBQUUsT0FBTyxDQUFDO0FBQ3BDLE9BQUcsYUFBYSxHQUFHLElBQUksV0FBVyxNQUFNLE1BQU0sVUFBVSxJQUFJLEVBQUUsR0FBRyxFQUFFLEdBQUcsSUFBSTtBQUMxRSxPQUFHLGFBQWEsR0FBRyxJQUFJLFdBQVcsTUFBTSxNQUFNLFVBQVUsT0FBTyxJQUFJLEVBQUUsQ0FBQyxHQUFHLEVBQUUsR0FBRyxPQUFPLElBQUksQ0FBQztBQUMxRixPQUFHLGFBQWEsR0FBRyxJQUFJLGVBQWUsQ0FBQyxHQUFJLE1BQU0sTUFBTSxVQUFVLFdBQVcsR0FBRyxJQUFJLEVBQUUsR0FBRyxDQUFDLElBQUksRUFBRSxDQUFDLEdBQUcsRUFBRSxDQUFFLEdBQUcsQ0FBQyxNQUFNLE1BQU0sSUFBSSxDQUFDLE1BQU0sQ0FBQyxJQUFJLENBQUMsQ0FBQyxFQUFFLE9BQU8sQ0FBQyxDQUFDLENBQUM7QUFDckosT0FBRyxhQUFhLEdBQUcsSUFBSSxhQUFhLE1BQU0sTUFBTSxVQUFVLENBQUMsSUFBSSxFQUFFLEdBQUcsQ0FBQyxHQUFHLEVBQUUsR0FBRyxDQUFDLE1BQU0sTUFBTSxJQUFJLE1BQU0sQ0FBQyxFQUFFLE9BQU8sQ0FBQyxDQUFDLENBQUM7QUFDakgsT0FBRyxVQUFVLEdBQUcsSUFBSSxJQUFJLE1BQU0sTUFBTSxPQUFPLElBQUksRUFBRSxHQUFHLElBQUksSUFBSSxDQUFDLEdBQUcsT0FBTyxJQUFJLElBQUksT0FBTyxNQUFTO0FBQy9GO0FBQUEsTUFDRSxRQUFRLEdBQUcsSUFBSTtBQUFBLE1BQ2YsTUFBTSxNQUFNLEtBQUssSUFBSSxFQUFFLEdBQUcsRUFBRTtBQUFBLE1BQzVCLE1BQ0csTUFBTSxHQUFHLEtBQUssQ0FBQyxFQUNmLElBQUksR0FBRyxFQUNQLE9BQU8sQ0FBQztBQUFBLElBQ2I7QUFDQSxPQUFHLFVBQVUsR0FBRyxJQUFJLElBQUksTUFBTSxNQUFNLE9BQU8sSUFBSSxFQUFFLEdBQUcsRUFBRSxHQUFHLE9BQU8sSUFBSSxTQUFZLE1BQU0sTUFBTSxHQUFHLEVBQUUsRUFBRSxJQUFJLEdBQUcsRUFBRSxPQUFPLENBQUMsQ0FBQztBQUFBLEVBQ3ZIO0FBQ0EsUUFBTSxNQUFNLENBQUMsTUFBYyxJQUFJLE1BQU07QUFDckMsS0FBRyxRQUFRLE1BQU0sTUFBTSxVQUFVLElBQUksRUFBRSxHQUFHLEdBQUcsSUFBSSxHQUFHLE1BQU0sTUFBTSxHQUFHLENBQUM7QUFDcEUsS0FBRyxPQUFPLE1BQU0sTUFBTSxVQUFVLElBQUksRUFBRSxHQUFHLEdBQUcsR0FBRyxHQUFHLE1BQU0sS0FBSyxHQUFHLENBQUM7QUFDakUsS0FBRyxRQUFRLE1BQU0sTUFBTSxVQUFVLElBQUksRUFBRSxHQUFHLEdBQUcsSUFBSSxHQUFHLE1BQU0sT0FBTyxHQUFHLEVBQUUsU0FBUyxNQUFNLENBQUM7QUFDdEYsS0FBRyxnQkFBZ0IsTUFBTSxNQUFNLFVBQVUsT0FBTyxJQUFJLElBQUksR0FBRyxHQUFHLElBQUksR0FBRyxNQUFNLElBQUksSUFBSSxDQUFDO0FBQ3BGLEtBQUcsa0JBQWtCLENBQUMsR0FBSSxNQUFNLE1BQU0sVUFBVSxXQUFXLEdBQUcsT0FBTyxJQUFJLElBQUksQ0FBQyxHQUFHLEdBQUcsR0FBRyxDQUFFLEdBQUcsQ0FBQyxJQUFJLElBQUksSUFBSSxDQUFDLENBQUM7QUFDM0csUUFBTSxNQUFNLENBQUMsTUFBZSxJQUFJLElBQUs7QUFDckMsUUFBTSxTQUFTLEtBQUssSUFBSSxHQUFHLE1BQU0sSUFBSSxHQUFHLENBQUM7QUFDekMsUUFBTSxTQUFTLEtBQUssSUFBSSxHQUFHLE1BQU0sSUFBSSxHQUFHLENBQUM7QUFDekMsS0FBRywrQkFBK0IsTUFBTSxNQUFNLFVBQVUsRUFBRSxPQUFPLElBQUksRUFBRSxHQUFHLE9BQU8sR0FBRyxHQUFHLEdBQUcsTUFBTSxHQUFHO0FBQUEsSUFDakcsT0FBTztBQUFBLElBQ1AsT0FBTyxNQUFNLEtBQUssQ0FBQyxNQUFNLElBQUksQ0FBQyxNQUFNLE1BQU07QUFBQSxFQUM1QyxDQUFDO0FBQ0QsS0FBRywrQkFBK0IsTUFBTSxNQUFNLFVBQVUsRUFBRSxPQUFPLElBQUksRUFBRSxHQUFHLE9BQU8sR0FBRyxHQUFHLEdBQUcsTUFBTSxHQUFHO0FBQUEsSUFDakcsT0FBTztBQUFBLElBQ1AsT0FBTyxNQUFNLEtBQUssQ0FBQyxNQUFNLElBQUksQ0FBQyxNQUFNLE1BQU07QUFBQSxFQUM1QyxDQUFDO0FBR0QsUUFBTSxTQUFTLEdBQUcsT0FBTyxDQUFDRCxJQUFXQyxPQUFjRCxLQUFJQyxFQUFDO0FBQ3hELFFBQU0sT0FBTyxDQUFDLE1BQWMsT0FBTyxhQUFhLEtBQU0sSUFBSSxFQUFHO0FBQzdELFFBQU0sTUFBTSxNQUFNLElBQUksSUFBSSxFQUFFLEtBQUssRUFBRTtBQUNuQyxhQUFXLGFBQWEsV0FBVyxVQUFXLElBQUcsNkJBQTZCLFNBQVMsSUFBSSxNQUFNLE1BQU0sVUFBVSxLQUFLLEVBQUUsR0FBRyxRQUFRLEVBQUUsVUFBVSxDQUFDLEdBQUcsR0FBRztBQUN0SixhQUFXLGFBQWEsV0FBVztBQUNqQyxPQUFHLDBCQUEwQixTQUFTLElBQUksTUFBTSxNQUFNLE9BQU8sS0FBSyxFQUFFLEdBQUcsUUFBUSxLQUFLLEdBQUcsRUFBRSxVQUFVLENBQUMsR0FBRyxPQUFPLEtBQUssSUFBSSxNQUFNLE1BQVM7QUFDeEksYUFBVyxhQUFhLFdBQVcsS0FBTSxJQUFHLHdCQUF3QixTQUFTLElBQUksTUFBTSxNQUFNLEtBQUssS0FBSyxFQUFFLEdBQUcsUUFBUSxFQUFFLFVBQVUsQ0FBQyxHQUFHLElBQUksTUFBTSxHQUFHLEtBQUssQ0FBQyxDQUFDO0FBQ3hKLGFBQVcsYUFBYSxXQUFXO0FBQ2pDLE9BQUcsMEJBQTBCLFNBQVMsSUFBSSxNQUFNLE1BQU0sT0FBTyxLQUFLLEVBQUUsR0FBRyxRQUFRLEVBQUUsVUFBVSxDQUFDLEdBQUcsT0FBTyxJQUFJLFNBQVksSUFBSSxNQUFNLEdBQUcsRUFBRSxDQUFDO0FBQ3hJLGFBQVcsYUFBYSxXQUFXLGVBQWU7QUFDaEQ7QUFBQSxNQUNFLGlDQUFpQyxTQUFTO0FBQUEsTUFDMUMsTUFBTSxNQUFNO0FBQUEsUUFDVixNQUFNLElBQUksQ0FBQyxNQUFNLEdBQUcsS0FBSyxFQUFFLENBQUMsR0FBRyxDQUFDLEVBQUU7QUFBQSxRQUNsQztBQUFBLFFBQ0EsRUFBRSxVQUFVO0FBQUEsTUFDZDtBQUFBLE1BQ0EsTUFBTSxJQUFJLENBQUMsTUFBTSxHQUFHLEtBQUssQ0FBQyxDQUFDLEdBQUcsRUFBRSxFQUFFLEVBQUUsS0FBSyxFQUFFO0FBQUEsSUFDN0M7QUFBQSxFQUNGO0FBR0EsYUFBVyxPQUFPLENBQUMsR0FBRyxHQUFLLEdBQUc7QUFDNUIsVUFBTSxPQUFPLGFBQWEsS0FBSyxFQUFFLFFBQVEsSUFBSSxHQUFHLENBQUMsR0FBRyxNQUFPLElBQUksS0FBTSxFQUFFO0FBQ3ZFLFVBQU0sT0FBTyxhQUFhLEtBQUssRUFBRSxRQUFRLElBQUksR0FBRyxDQUFDLEdBQUcsTUFBTSxLQUFLLElBQUksTUFBTSxJQUFJLENBQUMsTUFBTSxDQUFDLENBQUM7QUFDdEYsZUFBVyxhQUFhLFdBQVcsV0FBVztBQUM1QyxTQUFHLGFBQWEsU0FBUyxRQUFRLEdBQUcsSUFBSSxPQUFPLE1BQU0sTUFBTSxVQUFVLE1BQU0sR0FBRyxLQUFLLEVBQUUsVUFBVSxDQUFDLENBQUMsR0FBRyxPQUFPLElBQUksQ0FBQztBQUNoSCxZQUFNLE1BQU0sS0FBSyxNQUFNO0FBQ3ZCLFlBQU0sTUFBTSxjQUFjLEtBQUssR0FBRyxLQUFLLEVBQUUsVUFBVSxDQUFDO0FBQ3BELFNBQUcsaUJBQWlCLFNBQVMsUUFBUSxHQUFHLElBQUksT0FBTyxHQUFHLEdBQUcsT0FBTyxJQUFJLENBQUM7QUFBQSxJQUN2RTtBQUNBLE9BQUcsb0NBQW9DLE9BQU8sSUFBSSxHQUFHLE9BQU8sYUFBYSxLQUFLLEVBQUUsUUFBUSxJQUFJLEdBQUcsQ0FBQyxHQUFHLE1BQU8sSUFBSSxLQUFNLEVBQUUsQ0FBQyxDQUFDO0FBQ3hILGVBQVcsYUFBYSxXQUFXLE9BQU87QUFDeEMsaUJBQVcsUUFBUSxvQkFBSSxJQUFJLENBQUMsR0FBRyxJQUFJLENBQUMsQ0FBQyxHQUFHO0FBQ3RDLGNBQU0sT0FBTyxPQUFPLE9BQU8sYUFBYSxLQUFLLEVBQUUsUUFBUSxJQUFJLEdBQUcsQ0FBQyxHQUFHLE1BQU0sSUFBSSxJQUFJLElBQUksSUFBSTtBQUN4RjtBQUFBLFVBQ0UsU0FBUyxTQUFTLFNBQVMsSUFBSSxRQUFRLEdBQUc7QUFBQSxVQUMxQyxPQUFPLE1BQU0sTUFBTSxNQUFNLE1BQU0sTUFBTSxFQUFFLFVBQVUsQ0FBQyxDQUFDO0FBQUEsVUFDbkQsT0FBTyxhQUFhLEtBQUssRUFBRSxRQUFRLElBQUksR0FBRyxDQUFDLEdBQUcsTUFBTSxJQUFJLElBQUksSUFBSSxDQUFDO0FBQUEsUUFDbkU7QUFBQSxNQUNGO0FBQUEsSUFDRjtBQUFBLEVBQ0Y7QUFDQSxhQUFXLGFBQWEsV0FBVztBQUNqQyxPQUFHLGdCQUFnQixTQUFTLElBQUksTUFBTSxNQUFNLE1BQU0sT0FBTyxJQUFJLEVBQUUsR0FBRyxDQUFDLEdBQUcsR0FBRyxHQUFHLEdBQUcsb0JBQUksSUFBSSxDQUFDLENBQUMsR0FBRyxDQUFDLENBQUMsQ0FBQyxFQUFFLElBQUksUUFBVyxHQUFHLEVBQUUsVUFBVSxDQUFDLEdBQUc7QUFBQSxNQUNqSSxHQUFHLENBQUMsR0FBRyxHQUFHO0FBQUEsTUFDVixHQUFHLG9CQUFJLElBQUksQ0FBQyxDQUFDLEdBQUcsQ0FBQyxDQUFDLENBQUM7QUFBQSxJQUNyQixDQUFDO0FBQ0gsYUFBVyxhQUFhLFdBQVcsUUFBUyxPQUFNLE1BQU0sUUFBUSxFQUFFLFVBQVUsQ0FBQztBQUM3RSxhQUFXLGFBQWEsV0FBVyxRQUFRO0FBQ3pDLGVBQVcsUUFBUSxvQkFBSSxJQUFJLENBQUMsR0FBRyxJQUFJLENBQUMsQ0FBQztBQUNuQyxTQUFHLFVBQVUsU0FBUyxTQUFTLElBQUksSUFBSSxNQUFNLE1BQU0sT0FBTyxJQUFJLEVBQUUsSUFBSSxNQUFNLEVBQUUsVUFBVSxDQUFDLEdBQUcsT0FBTyxPQUFPLE1BQU0sSUFBSSxDQUFDLE1BQU0sSUFBSSxDQUFDLEVBQUUsSUFBSSxNQUFTO0FBQUEsRUFDako7QUFDQSxhQUFXLGFBQWEsV0FBVztBQUNqQztBQUFBLE1BQ0UsYUFBYSxTQUFTO0FBQUEsTUFDdEIsTUFBTSxNQUFNLFVBQVUsV0FBVyxHQUFHLElBQUksQ0FBQyxFQUFFLEdBQUcsRUFBRSxVQUFVLENBQUM7QUFBQSxNQUMzRCxNQUFNLElBQUksQ0FBQyxNQUFNLFdBQVcsR0FBRyxHQUFHLENBQUMsQ0FBQyxDQUFDO0FBQUEsSUFDdkM7QUFDRixhQUFXLGFBQWEsV0FBVyxTQUFTO0FBQzFDLFVBQU0sT0FBTyxJQUFJO0FBQ2pCLE9BQUcsV0FBVyxTQUFTLElBQUksTUFBTSxNQUFNLFFBQVEsT0FBTyxPQUFPLE1BQU0sSUFBSSxDQUFDLE9BQU8sRUFBRSxJQUFJLEVBQUUsRUFBRSxJQUFJLFFBQVcsTUFBTSxFQUFFLFVBQVUsQ0FBQyxHQUFHLEVBQUUsSUFBSSxHQUFHLENBQUM7QUFBQSxFQUMxSTtBQUNBLFFBQU0sUUFBUSxDQUFDLE1BQWMsT0FBZSxXQUFXLEtBQUssRUFBRSxTQUFTLE9BQU8sTUFBTSxFQUFFLEdBQUcsQ0FBQyxHQUFHLE1BQU0sT0FBTyxNQUFNLEtBQUssS0FBSyxDQUFDO0FBQzNILGFBQVcsYUFBYSxXQUFXO0FBQ2pDO0FBQUEsTUFDRSxlQUFlLFNBQVM7QUFBQSxNQUN4QixNQUFNLE1BQU07QUFBQSxRQUNWLE1BQU0sSUFBSSxDQUFDLE9BQU8sTUFBTSxJQUFJLEVBQUUsQ0FBQztBQUFBLFFBQy9CLEVBQUUsVUFBVTtBQUFBLE1BQ2Q7QUFBQSxNQUNBLE1BQU0sSUFBSSxDQUFDLFNBQVMsTUFBTSxNQUFNLEVBQUUsQ0FBQztBQUFBLElBQ3JDO0FBQ0YsYUFBVyxhQUFhLFdBQVc7QUFDakM7QUFBQSxNQUNFLGlCQUFpQixTQUFTO0FBQUEsTUFDMUIsTUFBTSxNQUFNO0FBQUEsUUFDVixNQUFNLElBQUksQ0FBQyxNQUFNLFdBQVcsR0FBRyxHQUFHLEVBQUUsQ0FBQztBQUFBLFFBQ3JDLEdBQUc7QUFBQSxRQUNILEVBQUUsVUFBVTtBQUFBLE1BQ2Q7QUFBQSxNQUNBLFdBQVc7QUFBQSxRQUNULElBQUk7QUFBQSxRQUNKLElBQUksQ0FBQyxNQUFNLENBQUM7QUFBQSxNQUNkO0FBQUEsSUFDRjtBQUNGLGFBQVcsYUFBYSxXQUFXLEtBQU0sSUFBRyxjQUFjLFNBQVMsSUFBSSxNQUFNLE1BQU0sS0FBSyxDQUFDLElBQUksQ0FBQyxHQUFHLEdBQUcsS0FBSyxFQUFFLFVBQVUsQ0FBQyxHQUFHLENBQUMsSUFBSSxDQUFDLE1BQU0sR0FBRyxLQUFLLENBQUMsR0FBRyxLQUFLLENBQUMsQ0FBQztBQUN4SjtBQUNFLFVBQU0sU0FBUyxNQUFNLElBQUksQ0FBQyxPQUFPLElBQUksTUFBTSxDQUFDO0FBQzVDLFVBQU0sT0FBTyxXQUFXLEtBQUssRUFBRSxRQUFRLE9BQU8sT0FBTyxDQUFDRCxJQUFHQyxPQUFNRCxLQUFJQyxJQUFHLENBQUMsRUFBRSxHQUFHLENBQUMsR0FBRyxNQUFNLEtBQUssTUFBTyxDQUFDO0FBQ25HLFVBQU0sYUFBYSxNQUFNLElBQUksQ0FBQyxPQUFPLElBQUksTUFBTSxDQUFDO0FBQ2hELFVBQU0sT0FBTyxJQUFJLFdBQVcsV0FBVyxPQUFPLENBQUNELElBQUdDLE9BQU1ELEtBQUlDLElBQUcsQ0FBQyxDQUFDO0FBQ2pFLFVBQU0sTUFBTSxhQUFhLE1BQU0sUUFBUSxNQUFNLFVBQVU7QUFDdkQsVUFBTSxPQUFpQixDQUFDO0FBQ3hCLGVBQVcsUUFBUSxPQUFPO0FBQ3hCLFlBQU0sY0FBYyxNQUFNLElBQUksQ0FBQyxPQUFPLElBQUksUUFBUSxDQUFDO0FBQ25ELFlBQU0sUUFBUSxZQUFZLE1BQU0sR0FBRyxFQUFFLEVBQUUsT0FBTyxDQUFDRCxJQUFHQyxPQUFNRCxLQUFJQyxJQUFHLENBQUM7QUFDaEUsZUFBUyxJQUFJLEdBQUcsSUFBSSxZQUFZLEVBQUUsR0FBSSxJQUFLLE1BQUssS0FBSyxPQUFPLE1BQU8sUUFBUSxDQUFDO0FBQUEsSUFDOUU7QUFDQSxPQUFHLGdCQUFnQixDQUFDLEdBQUcsSUFBSSxHQUFHLElBQUk7QUFBQSxFQUNwQztBQUdBLFFBQU0sT0FBTyxPQUFPLE1BQ2xCLEVBQUU7QUFBQSxJQUNBLE1BQU07QUFBQSxJQUNOLENBQUMsTUFBZ0IsYUFBYUMsWUFBVyxFQUFFLE9BQU8sT0FBTyxDQUFDO0FBQUEsRUFDNUQ7QUFDRixNQUFJLElBQUksR0FBRztBQUNULGVBQVcsYUFBYSxXQUFXLFdBQVc7QUFDNUMsU0FBRyxtQkFBbUIsU0FBUyxJQUFJLE1BQU0sS0FBSyxNQUFNLFVBQVUsSUFBSSxhQUFhLE9BQU8sSUFBSSxJQUFJLEdBQUssR0FBRyxHQUFHLEtBQUssRUFBRSxVQUFVLENBQUMsQ0FBQyxHQUFHLFdBQVc7QUFBQSxJQUM1STtBQUNBLE9BQUcsMkJBQTJCLE1BQU0sS0FBSyxNQUFNLFVBQVUsSUFBSSxhQUFhLE9BQU8sSUFBSSxJQUFJLEdBQUssR0FBRyxHQUFHLEdBQUcsQ0FBQyxHQUFHLFdBQVc7QUFDdEgsT0FBRyxpQkFBaUIsTUFBTSxLQUFLLE1BQU0sVUFBVSxPQUFPLElBQUksSUFBSSxXQUFXLENBQUMsSUFBSSxJQUFJLGFBQWEsQ0FBQyxHQUFHLEdBQUcsR0FBRyxDQUFDLEdBQUcsUUFBUTtBQUNySCxPQUFHLG1CQUFtQixNQUFNLEtBQUssTUFBTSxVQUFVLE9BQU8sSUFBSSxJQUFJLENBQUMsQ0FBQyxHQUFHLEdBQUcsR0FBRyxDQUFDLEdBQUcsUUFBUTtBQUN2RixPQUFHLGlCQUFpQixNQUFNLEtBQUssTUFBTSxLQUFLLE9BQU8sSUFBSSxDQUFDLEdBQUcsQ0FBQyxJQUFJLENBQUMsQ0FBQyxHQUFHLEdBQUcsR0FBRyxDQUFDLEdBQUcsV0FBVztBQUN4RjtBQUFBLE1BQ0U7QUFBQSxNQUNBLE1BQU07QUFBQSxRQUNKLE1BQU07QUFBQSxVQUNKLE1BQU0sSUFBSSxNQUFPLE9BQU8sSUFBSSxDQUFDLEdBQUcsQ0FBQyxJQUFJLENBQUMsQ0FBQyxDQUFFO0FBQUEsVUFDekMsR0FBRztBQUFBLFFBQ0w7QUFBQSxNQUNGO0FBQUEsTUFDQTtBQUFBLElBQ0Y7QUFBQSxFQUNGO0FBQ0EsS0FBRyxvQkFBb0IsTUFBTSxLQUFLLE1BQU0sVUFBVSxNQUFNLEdBQUcsR0FBRyxDQUFDLEdBQUcsUUFBUTtBQUMxRSxLQUFHLHVCQUF1QixNQUFNLEtBQUssTUFBTSxVQUFVLEVBQUUsT0FBTyxHQUFHLE9BQU8sRUFBRSxHQUFHLEdBQUcsR0FBRyxDQUFDLEdBQUcsUUFBUTtBQUMvRixLQUFHLHNDQUFzQyxNQUFNLE1BQU0sVUFBVSxHQUFHLEdBQUcsR0FBRyxHQUFHLENBQUM7QUFHNUUsUUFBTSxNQUFNLE1BQU0sTUFBTSxJQUFJO0FBQzVCLEtBQUcsWUFBWSxDQUFDLElBQUksTUFBTSxJQUFJLElBQUksR0FBRyxDQUFDLEdBQUcsRUFBRSxDQUFDO0FBQzVDLFFBQU0sT0FBTyxNQUFNLE1BQU0sTUFBTSxLQUFLLEdBQUcsQ0FBQyxFQUFFO0FBQzFDLFFBQU0sUUFBUSxNQUFNLE9BQU8sQ0FBQyxNQUFNLElBQUksTUFBTSxLQUFLLENBQUMsRUFBRSxRQUFRO0FBQzVELEtBQUcsc0JBQXNCLENBQUMsS0FBTSxNQUFNLEtBQU0sSUFBSSxHQUFHLENBQUMsTUFBTSxRQUFRLE1BQU0sUUFBUSxFQUFFLENBQUMsQ0FBQztBQUNwRixRQUFNLE9BQU8sTUFBTSxNQUFNLE1BQU0sT0FBTyxJQUFJLFlBQVksQ0FBQztBQUN2RCxLQUFHLG1CQUFtQixTQUFTLE1BQU0sT0FBTyxDQUFDO0FBQzdDLFFBQU0sQ0FBQyxHQUFHLEdBQUcsQ0FBQyxJQUFJLE1BQU0sUUFBUSxJQUFJLENBQUMsSUFBSSxVQUFVLElBQUksR0FBRyxHQUFHLEdBQUcsS0FBTSxVQUFVLEVBQUUsR0FBRyxNQUFNLFVBQVUsR0FBRyxHQUFHLEdBQUcsQ0FBQyxDQUFDO0FBQ2hIO0FBQUEsSUFDRTtBQUFBLElBQ0E7QUFBQSxJQUNBLElBQUksQ0FBQyxNQUFNLENBQUM7QUFBQSxFQUNkO0FBQ0EsS0FBRyx1QkFBdUIsR0FBRyxDQUFDLEdBQUcsS0FBSyxFQUFFLFFBQVEsRUFBRSxRQUFRLENBQUM7QUFDM0QsS0FBRyx1QkFBdUIsR0FBRyxDQUFDO0FBRTlCLE1BQUksSUFBSSxHQUFHO0FBQ1QsVUFBTSxRQUFRLEtBQUssS0FBSztBQUN4QixVQUFNLFFBQVEsS0FBSyxJQUFJLEtBQUs7QUFDNUIsVUFBTSxLQUFLLElBQUksTUFBTSxNQUFNLENBQUM7QUFDNUIsVUFBTSxLQUFLLE1BQU0sTUFBTSxNQUFNLENBQUM7QUFDOUIsVUFBTSxRQUFRLElBQUksQ0FBQyxNQUFNLEtBQUssU0FBUyxNQUFNLENBQUMsR0FBRyxJQUFJLEtBQUssT0FBTyxNQUFNLENBQUMsQ0FBQyxDQUFDO0FBQzFFLE9BQUcsdUJBQXVCLEVBQUUsTUFBTSxJQUFJLE9BQU8sTUFBTSxJQUFJLElBQUksR0FBRyxDQUFDLE9BQU8sT0FBTyxDQUFDO0FBQUEsRUFDaEY7QUFDQSxRQUFNLE9BQU8sTUFBTSxNQUFNLFNBQVM7QUFDbEMsUUFBTSxVQUFVLE1BQU0sTUFBTSxXQUFXO0FBQ3ZDLFFBQU0sT0FBTyxNQUFNLFVBQVUsR0FBRyxFQUFFLEVBQUU7QUFDcEMsS0FBRyxhQUFhLEtBQUssTUFBTSxNQUFNLE9BQU8sQ0FBQyxNQUFNLE1BQU0sVUFBVSxHQUFHLENBQUMsRUFBRSxPQUFPLElBQUksRUFBRSxNQUFNO0FBQ3hGLEtBQUcsZUFBZSxZQUFZLE1BQU0sTUFBTSxLQUFLLENBQUMsTUFBTSxNQUFNLFVBQVUsR0FBRyxDQUFDLEVBQUUsT0FBTyxJQUFJLE1BQU0sRUFBRTtBQUcvRixRQUFNLE9BQU8sV0FBVyxHQUFHLENBQUM7QUFDNUIsS0FBRyxzQkFBc0IsS0FBSyxDQUFDLElBQUssS0FBSyxDQUFDLEdBQUksQ0FBQztBQUMvQyxLQUFHLHFCQUFxQixXQUFXLElBQUksQ0FBQyxHQUFHLENBQUMsR0FBRyxDQUFDLENBQUM7QUFDakQsS0FBRyxxQkFBcUIsV0FBVyxJQUFJLENBQUMsR0FBRyxDQUFDLEdBQUcsR0FBRyxDQUFDLENBQUM7QUFDcEQsS0FBRyx5QkFBeUIsV0FBVyxHQUFHLENBQUMsR0FBRyxDQUFDLENBQUMsR0FBRyxDQUFDLEdBQUcsQ0FBQyxDQUFDO0FBQ3pELFFBQU0sT0FBUSxNQUFNLE1BQU0sS0FBSyxNQUFNLENBQUMsTUFBTSxLQUFLLENBQUM7QUFDbEQsS0FBRyxlQUFlLEtBQUssUUFBUSxDQUFDLEtBQUssTUFBTSxLQUFLLEtBQUssQ0FBQyxDQUFFLEdBQUcsS0FBSyxLQUFLLENBQUMsQ0FBRSxDQUFDO0FBQ3pFLEtBQUcsZUFBZSxLQUFLLE9BQU8sS0FBSyxNQUFNLEdBQUcsRUFBRTtBQUM5QyxRQUFNLEtBQUssS0FBSyxNQUFNLEdBQUcsQ0FBQztBQUMxQixLQUFHLHVCQUF1QixJQUFJLEVBQUUsUUFBUSxLQUFLLE9BQU8sQ0FBQyxLQUFLLE9BQU8sQ0FBQyxJQUFLLEdBQUcsS0FBSyxPQUFPLENBQUMsQ0FBRSxDQUFDLEdBQUcsTUFBTSxLQUFLLE9BQU8sQ0FBQyxLQUFLLE9BQU8sQ0FBQyxJQUFLLEdBQUcsS0FBSyxPQUFPLENBQUMsQ0FBRSxDQUFDLEVBQUUsQ0FBQztBQUN4SixRQUFNLEtBQUssS0FBSyxNQUFNLEdBQUcsQ0FBQztBQUMxQixLQUFHLG1CQUFtQixHQUFHLE1BQU0sS0FBSyxPQUFPLENBQUMsTUFBTSxLQUFLLENBQUMsSUFBSyxJQUFJLFlBQVksS0FBSyxDQUFDO0FBQ25GLFFBQU0sTUFBTSxNQUFNLEtBQUssSUFBSSxDQUFDLE9BQU8sSUFBSSxDQUFDO0FBQ3hDLEtBQUcsWUFBWSxDQUFDLElBQUksTUFBTSxJQUFJLE1BQU0sSUFBSSxJQUFJLEdBQUcsQ0FBQyxLQUFLLENBQUMsR0FBRyxLQUFLLE9BQU8sQ0FBQyxHQUFHLENBQUMsS0FBSyxDQUFDLENBQUMsQ0FBQyxDQUFDO0FBQ25GO0FBQUEsSUFDRTtBQUFBLElBQ0EsTUFBTSxJQUFJLFVBQVUsSUFBSSxHQUFHLEdBQUc7QUFBQSxJQUM5QixJQUFJLENBQUMsTUFBTyxLQUFLLE1BQU0sSUFBSSxLQUFLLENBQUMsQ0FBRSxNQUFNLEtBQUssT0FBTyxDQUFDLElBQUksSUFBSSxDQUFFO0FBQUEsRUFDbEU7QUFDQSxRQUFNLFFBQVEsTUFBTSxNQUFNLEtBQUssQ0FBQyxLQUFLLElBQUksR0FBRyxJQUFJLENBQUMsQ0FBQyxDQUFDO0FBQ25ELEtBQUcsa0NBQWtDLFVBQVUsTUFBTSxJQUFJLEtBQUssT0FBTyxJQUFJLENBQUM7QUFDMUUsUUFBTSxNQUFNLFFBQVE7QUFDdEI7QUFFQSxTQUFTLEtBQUssR0FBb0I7QUFDaEMsU0FBTyxLQUFLLFVBQVUsR0FBRyxDQUFDLEdBQUcsTUFBTTtBQUNqQyxRQUFJLE9BQU8sTUFBTSxTQUFVLFFBQU8sR0FBRyxDQUFDO0FBQ3RDLFFBQUksWUFBWSxPQUFPLENBQUMsRUFBRyxRQUFPLEdBQUcsRUFBRSxZQUFZLElBQUksSUFBSSxNQUFNLEtBQUssQ0FBaUMsRUFBRSxLQUFLLEdBQUcsQ0FBQztBQUNsSCxRQUFJLGFBQWEsSUFBSyxRQUFPLEVBQUUsS0FBSyxDQUFDLEdBQUcsQ0FBQyxFQUFFO0FBQzNDLFFBQUksTUFBTSxPQUFXLFFBQU87QUFDNUIsV0FBTztBQUFBLEVBQ1QsQ0FBQztBQUNIO0FBRUEsU0FBUyxPQUFPLEdBQXlCO0FBQ3ZDLE1BQUksSUFBSTtBQUNSLFdBQVMsSUFBSSxHQUFHLElBQUksRUFBRSxRQUFRLElBQUssTUFBSyxJQUFJLEtBQUssRUFBRSxDQUFDLEtBQU07QUFDMUQsU0FBTyxHQUFHLEVBQUUsTUFBTSxJQUFJLENBQUM7QUFDekI7IiwKICAibmFtZXMiOiBbIk1waUVycm9yIiwgImEiLCAiYiIsICJNcGlFcnJvciJdCn0K
