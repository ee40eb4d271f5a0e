/**
 * MPI semantics that suites ported from MPICH's test/mpi and mpi4py's tests
 * check (issue 16, point 8), and mistakes that must get a typed error at the
 * call that made them, on every rank (so nobody hangs): run on every
 * transport and both engines by test/conformance/suite.test.ts.
 */
import { type CartComm, type Comm, dimsCreate, MpiError, Op, UNDEFINED, waitany } from "tsmpi";

export default async function main(world: Comm): Promise<void> {
  const n = world.size;
  const me = world.rank;
  const show = (v: unknown): string => JSON.stringify(v, (_, x) => (typeof x === "bigint" ? `${x}n` : x));
  const eq = (what: string, got: unknown, want: unknown): void => {
    if (show(got) !== show(want)) throw new Error(`rank ${me}: ${what}: got ${show(got)}, want ${show(want)}`);
  };
  /** The error code a call rejects (or throws) with, or "ok". */
  const code = async (f: () => unknown): Promise<string> => {
    try {
      await f();
      return "ok";
    } catch (e) {
      if (!(e instanceof MpiError)) throw new Error(`rank ${me}: expected an MpiError, got ${String(e)}`);
      return e.code;
    }
  };

  // waitany with no requests settles at once, index UNDEFINED (MPI_Waitany with no active requests).
  eq("waitany([])", await waitany([]), { index: UNDEFINED, value: undefined });

  // dimsCreate: zero dimensions with one node (MPI-4.0 erratum), large node counts at once, huge arguments refused.
  eq("dimsCreate(1, 0)", dimsCreate(1, 0), []);
  eq("dimsCreate(2^30, 3)", dimsCreate(2 ** 30, 3), [1024, 1024, 1024]);
  eq("dimsCreate(6, 1e9)", await code(() => dimsCreate(6, 1e9)), "ERR_ARG");
  eq("dimsCreate(2^40, 3)", await code(() => dimsCreate(2 ** 40, 3)), "ERR_ARG");

  // A root outside the communicator is ERR_ROOT, on every rank, at the call; the communicator still works after.
  for (const root of [n, -1, 0.5]) {
    eq(`bcast root ${root}`, await code(() => world.bcast(1, root)), "ERR_ROOT");
    eq(`reduce root ${root}`, await code(() => world.reduce(1, Op.SUM, root)), "ERR_ROOT");
    eq(`gather root ${root}`, await code(() => world.gather(1, root)), "ERR_ROOT");
    eq(`scatter root ${root}`, await code(() => world.scatter([], root)), "ERR_ROOT");
  }
  eq("after ERR_ROOT the world still works", await world.allreduce(1, Op.SUM), n);

  // Bitwise reductions of floats would truncate silently: ERR_OP on every rank instead.
  eq("BAND of Float64Array", await code(() => world.allreduce(Float64Array.of(1.5), Op.BAND)), "ERR_OP");
  eq("BOR of 2.5", await code(() => world.allreduce(2.5, Op.BOR)), "ERR_OP");
  eq("BXOR of Int32Array still works", [...(await world.allreduce(Int32Array.of(1 << me), Op.BXOR))], [(1 << n) - 1]);

  // A SharedArrayBuffer value cannot travel as a value: ERR_PAYLOAD at the send; its bytes can.
  if (n > 1) {
    const peer = me ^ 1;
    if (peer < n) {
      eq("send a SharedArrayBuffer", await code(() => world.send(new SharedArrayBuffer(8), peer, 5)), "ERR_PAYLOAD");
      eq("send a SharedArrayBuffer inside an object", await code(() => world.send({ inside: [new SharedArrayBuffer(8)] }, peer, 5)), "ERR_PAYLOAD");
      const sab = new SharedArrayBuffer(4);
      new Uint8Array(sab).set([me, 1, 2, 3]);
      const m = await world.sendrecv<Uint8Array>(new Uint8Array(sab), peer, 6, peer, 6);
      eq("a typed array over shared memory", [...m.data], [peer, 1, 2, 3]);
    }
  }

  // dup() of a Cartesian communicator keeps its topology.
  const dims = dimsCreate(n, 2);
  const cart = (await world.cart(dims, [true, false])) as CartComm;
  const copy = (await cart.dup()) as CartComm;
  eq("dup of a cart keeps dims, periods and coords", [copy.dims, copy.periods, copy.coords], [cart.dims, cart.periods, cart.coords]);
  eq("dup of a cart shifts like it", copy.shift(0, 1), cart.shift(0, 1));
  eq("dup of a cart is a new context", await copy.allreduce(me, Op.SUM), (n * (n - 1)) / 2);
}
