// The waiting rendezvous over a PMI store: lookups of keys published later,
// in any order, by any process, through fence epochs every process agrees on.
import { describe, expect, it } from "vitest";
import type { JobBootstrap } from "../../src/bootstrap/job.ts";
import { connectPmi1 } from "../../src/bootstrap/pmi1.ts";
import { Pmi1Server } from "../../src/bootstrap/pmi1-server.ts";
import { jobOverPmi } from "../../src/bootstrap/pmi-job.ts";
import { Rendezvous } from "../../src/bootstrap/rendezvous.ts";

async function startJob(size: number): Promise<{ server: Pmi1Server; jobs: JobBootstrap[] }> {
  const server = await Pmi1Server.listen({ size, kvsname: "rv", onAbort: () => {}, onLost: () => {} }, 0, "127.0.0.1");
  const jobs = await Promise.all(
    Array.from({ length: size }, async (_, i) => jobOverPmi(await connectPmi1({ PMI_PORT: `127.0.0.1:${server.port}`, PMI_ID: String(i) }), `h${i}`)),
  );
  return { server, jobs };
}

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the rendezvous over PMI", () => {
  it("answers lookups of keys other processes publish later, in two phases, then settles everywhere at the same epoch", async () => {
    const { server, jobs } = await startJob(3);
    const stores = jobs.map((j) => new Rendezvous(j));
    // Phase 1 (like slurpoe's prepareProcess): each process publishes its NIC, at staggered times.
    // Phase 2 (like vf's open): each reads every NIC, then publishes a port, then reads its neighbour's port.
    const runs = stores.map(async (s, p) => {
      await later(30 * p);
      await s.put(`nic/${p}`, `nic of ${p}`);
      const nics = await Promise.all([0, 1, 2].map((q) => s.get(`nic/${q}`)));
      await s.put(`vf.${p}`, `port ${p}`);
      s.startupDone();
      const port = await s.get(`vf.${(p + 1) % 3}`);
      await s.settled();
      return { nics, port };
    });
    const results = await Promise.all(runs);
    results.forEach((r, p) => {
      expect(r.nics).toEqual(["nic of 0", "nic of 1", "nic of 2"]);
      expect(r.port).toBe(`port ${(p + 1) % 3}`);
    });
    const epochs = stores.map((s) => s.epochs);
    expect(new Set(epochs).size).toBe(1);
    // After start-up, a lookup of a published key still works, and one of an unknown key fails at once.
    expect(await stores[2].get("vf.0")).toBe("port 0");
    await expect(stores[2].get("never")).rejects.toThrow(/ERR_ARG: rank 2, get: no process put "never"/);
    await expect(stores[0].put("late", "x")).rejects.toThrow(/every process has finished start-up/);
    await Promise.all(jobs.map((j) => j.finalize()));
    await server.close();
  });

  it("settles in one epoch when nobody waits", async () => {
    const { server, jobs } = await startJob(2);
    const stores = jobs.map((j) => new Rendezvous(j));
    for (const s of stores) s.startupDone();
    await Promise.all(stores.map((s) => s.settled()));
    expect(stores.map((s) => s.epochs)).toEqual([1, 1]);
    await Promise.all(jobs.map((j) => j.finalize()));
    await server.close();
  });
});
