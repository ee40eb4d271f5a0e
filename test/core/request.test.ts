// waitall holds the event loop for one spin in all, not one per pending
// request: counted with a stand-in core, not timed.
import { describe, expect, it } from "vitest";
import type { RankCore } from "../../src/core/rank-core.ts";
import { type Pending, Request, SENT_REQUEST, waitall, waitRecords } from "../../src/core/request.ts";
import { MpiError } from "../../src/errors.ts";

function fakeCore() {
  const calls = { spins: 0, progress: 0 };
  const core = {
    spinFor: () => void calls.spins++,
    pollOnce: () => 0,
    ensureProgress: () => void calls.progress++,
    waiterSettled: () => {},
  } as unknown as RankCore;
  return { core, calls };
}

function pending(): Pending & { settleWith(): void } {
  const p: Pending & { settleWith(): void } = {
    done: false,
    error: undefined,
    settle: undefined,
    settleWith() {
      p.done = true;
      p.settle?.(p as never);
    },
  };
  return p;
}

describe("waitall", () => {
  it("spins once for ten pending requests, then waits on promises", async () => {
    const { core, calls } = fakeCore();
    const ps = Array.from({ length: 10 }, pending);
    const reqs = ps.map((p, i) => new Request<number>(core, p, () => i));
    const all = waitall(reqs);
    expect(calls.spins).toBe(1);
    for (const p of ps) p.settleWith();
    expect(await all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("spins past requests that complete during their spin, and stops at the first that does not", async () => {
    const { core, calls } = fakeCore();
    const ps = Array.from({ length: 5 }, pending);
    // The first three complete while they are spun for; the fourth does not.
    let spun = 0;
    (core as unknown as { spinFor: (p: Pending) => void }).spinFor = (p) => {
      calls.spins++;
      if (spun++ < 3) p.done = true;
    };
    const all = waitall(ps.map((p, i) => new Request<number>(core, p, () => i * 10)));
    expect(calls.spins).toBe(4);
    for (const p of ps.slice(3)) p.settleWith();
    expect(await all).toEqual([0, 10, 20, 30, 40]);
  });

  it("costs no spin when every request is already complete", async () => {
    const { calls } = fakeCore();
    const all = await waitall([Request.resolved(1), Request.resolved(2)]);
    expect(all).toEqual([1, 2]);
    expect(calls.spins).toBe(0);
  });

  it("waits on pending receives among shared completed sends with one promise, none per request (an all-to-all's waitall)", async () => {
    const { core, calls } = fakeCore();
    const ps = Array.from({ length: 4 }, pending);
    const receives = ps.map((p, i) => new Request<number>(core, p, () => i));
    // The sends the transport took at once: the shared complete handle, which has no core.
    const sends = [SENT_REQUEST, SENT_REQUEST, SENT_REQUEST];
    const all = waitall([...receives, ...sends]);
    // One promise for the lot: each receive is told by callback, so none was awaited through a promise of its own.
    for (const r of receives) expect(r.waitCore()).toBeUndefined();
    expect(calls.progress).toBe(1);
    for (const p of ps) p.settleWith();
    expect(await all).toEqual([0, 1, 2, 3, undefined, undefined, undefined]);
  });

  it("waitRecords: one promise for a collective's handle-free records, settled only once the last completes, failed or not", async () => {
    const { core, calls } = fakeCore();
    const ps = Array.from({ length: 3 }, pending);
    let settled = false;
    const all = waitRecords(core, ps).then(() => (settled = true));
    expect(calls.spins).toBe(1);
    expect(calls.progress).toBe(1);
    ps[0]!.settleWith();
    ps[2]!.error = new MpiError("ERR_TRUNCATE", "too long");
    ps[2]!.settleWith();
    await Promise.resolve();
    expect(settled).toBe(false);
    ps[1]!.settleWith();
    await all;
    expect(settled).toBe(true);
  });
});
