/**
 * Context-id agreement, the step every communicator creation shares (dup,
 * split, cart, the hierarchy's sub-communicators): every member proposes its
 * lowest unused context id; all take the maximum and reserve `width` ids from
 * it. A rank's ids only grow, so an agreed id was never used by any member.
 * Agreements on one rank run one at a time, in the order they were called
 * (each takes its collective tag at the call), so concurrent communicator
 * creations never pick the same id; like blocking MPI calls, every rank must
 * create communicators in an order consistent across the communicators it
 * shares.
 */
import type { Channel } from "../coll/channel.ts";
import { reserveAllgather } from "../coll/index.ts";
import type { RankCore } from "../core/rank-core.ts";

/** The tail of each rank's chain of agreements. */
const agreements = new WeakMap<RankCore, Promise<void>>();

/** Agree on `width` fresh context ids over `channel`, gathering every member's `extra` on the way. */
export function agree<T>(channel: Channel, core: RankCore, extra: T, width: number): Promise<{ id: number; all: [number, T][] }> {
  const run = reserveAllgather<[number, T]>(channel, 16, undefined, "commCreate");
  const before = agreements.get(core) ?? Promise.resolve();
  const done = before.then(async () => {
    const all = await run([core.nextContextId, extra]);
    let id = 0;
    for (const [c] of all) if (c > id) id = c;
    core.nextContextId = id + width;
    return { id, all };
  });
  agreements.set(
    core,
    done.then(
      () => undefined,
      () => undefined,
    ),
  );
  return done;
}
