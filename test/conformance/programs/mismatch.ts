/**
 * Collectives called with different arguments on different ranks (issue 16,
 * checked collectives). With no argument, run with coll.check=full: every
 * case must reject on every rank with ERR_COLL_MISMATCH (never a hang, never
 * a wrong answer), and the communicator must work afterwards; returns, per
 * case, this rank's error code, then the result of a correct allreduce after
 * all of them. With a case's name (args[0]), runs that case alone (the
 * default, always-on check) and lets its error end the job, returning
 * "finished"; with "catch" too, returns this rank's error code, from the
 * case or else from the next collective; with "warm", a correct allreduce
 * runs first (shared-memory collectives then have their bank).
 */
import { type Comm, MpiError, Op } from "tsmpi";

export default async function main(world: Comm, args: string[] = []): Promise<string[] | string> {
  const n = world.size;
  const me = world.rank;
  const last = n - 1;
  const code = async (f: () => Promise<unknown>): Promise<string> => {
    try {
      await f();
      return "ok";
    } catch (e) {
      return e instanceof MpiError ? e.code : `untyped: ${String(e)}`;
    }
  };
  const cases: [string, () => Promise<unknown>][] = [
    ["bcast roots", () => world.bcast(me, me === last ? 1 : 0)],
    ["reduce roots", () => world.reduce(me, Op.SUM, me === 0 ? 1 : 0)],
    ["gather roots", () => world.gather(me, me === last ? 1 : 0)],
    ["scatter roots", () => world.scatter(Array.from({ length: n }, (_, i) => i), me === 0 ? 1 : 0)],
    ["allreduce ops", () => world.allreduce(me + 1, me === last ? Op.MAX : Op.SUM)],
    ["reduce ops", () => world.reduce(me + 1, me === 0 ? Op.PROD : Op.SUM, 0)],
    ["allreduce counts", () => world.allreduce(new Float64Array(me === last ? 3 : 4), Op.SUM)],
    ["scan counts", () => world.scan(new Int32Array(me === 0 ? 1 : 2), Op.SUM)],
    ["barrier against allreduce", () => (me === 0 ? world.barrier() : world.allreduce(1, Op.SUM))],
    ["bcast against allgather", () => (me === last ? world.allgather(me) : world.bcast(me, 0))],
    ["alltoall block counts", () => world.alltoall(Array.from({ length: me === 0 ? n + 1 : n }, () => me))],
    ["forced algorithms", () => world.allreduce(me, Op.SUM, { algorithm: me === 0 ? "linear" : "recursive_doubling" })],
  ];
  if (args[0]) {
    const one = cases.find(([name]) => name === args[0]);
    if (!one) throw new Error(`no case ${args[0]}`);
    // "warm": a correct collective first, so shared-memory collectives have their bank (the first call agrees on it point to point).
    if (args.includes("warm")) await world.allreduce(1, Op.SUM);
    if (!args.includes("catch")) {
      await one[1]();
      return "finished";
    }
    // "catch": this rank's error code; a rank whose call returned meets the mismatch at its next collective.
    const first = await code(one[1]);
    return first !== "ok" ? first : code(() => world.barrier());
  }
  const out: string[] = [];
  for (const [, f] of cases) out.push(await code(f));
  // The communicator still works: every rank took part in every failed agreement and moved no data.
  out.push(String(await world.allreduce(1, Op.SUM)));
  return out;
}
