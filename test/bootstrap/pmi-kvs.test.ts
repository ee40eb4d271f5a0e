// PMI-1 clients (port mode, as under `mpiexec -pmi-port`) against tsmpi's own
// PMI-1 server over loopback TCP: the store, the fence, chunked values, hosts,
// abort and a vanished process.
import { connect } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JobBootstrap } from "../../src/bootstrap/job.ts";
import { connectPmi1 } from "../../src/bootstrap/pmi1.ts";
import { Pmi1Server } from "../../src/bootstrap/pmi1-server.ts";
import { jobOverPmi } from "../../src/bootstrap/pmi-job.ts";


async function startJob(size: number, hosts: string[], mapping?: string, events: string[] = []) {
  const server = await Pmi1Server.listen(
    { size, kvsname: "test_kvs", mapping, onAbort: (r, c) => events.push(`abort ${r} ${c}`), onLost: (r) => events.push(`lost ${r}`) },
    0,
    "127.0.0.1",
  );
  const jobs = await Promise.all(
    hosts.map(async (h, i) => jobOverPmi(await connectPmi1({ PMI_PORT: `127.0.0.1:${server.port}`, PMI_ID: String(i) }), h)),
  );
  return { server, jobs, events };
}

async function finalizeAll(server: Pmi1Server, jobs: JobBootstrap[]) {
  await Promise.all(jobs.map((j) => j.finalize()));
  await server.close();
}

describe("a PMI-1 job over tsmpi's PMI server", () => {
  it("learns rank and size from the server's set lines, not the environment", async () => {
    const { server, jobs } = await startJob(3, ["a", "a", "b"]);
    expect(jobs.map((j) => [j.kind, j.rank, j.size])).toEqual([
      ["pmi1", 0, 3],
      ["pmi1", 1, 3],
      ["pmi1", 2, 3],
    ]);
    await finalizeAll(server, jobs);
  });

  it("publishes any value, longer than PMI's limit included, at the fence", async () => {
    const { server, jobs } = await startJob(3, ["a", "b", "c"]);
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 3000, unit: "grapheme" }), { minLength: 3, maxLength: 3 }), async (values) => {
        const key = `k${round++}`;
        await Promise.all(jobs.map((j, i) => j.put(`${key}.${i}`, values[i])));
        await Promise.all(jobs.map((j) => j.fence()));
        for (const j of jobs) expect(await Promise.all([0, 1, 2].map((r) => j.get(`${key}.${r}`)))).toEqual(values);
      }),
      { numRuns: 15 },
    );
    await finalizeAll(server, jobs);
  });

  it("stores a 3000-byte value in chunks under the launcher's limit", async () => {
    const { server, jobs } = await startJob(1, ["a"]);
    const long = "é;= ".repeat(750);
    await jobs[0].put("big", long);
    await jobs[0].fence();
    expect(await jobs[0].get("big")).toBe(long);
    await finalizeAll(server, jobs);
  });

  it("tells every process the node of every other, with and without the launcher's mapping", async () => {
    for (const mapping of [undefined, "(vector,(0,2,2))"]) {
      const { server, jobs } = await startJob(4, ["n0", "n0", "n1", "n1"], mapping);
      const seen = await Promise.all(jobs.map((j) => j.hosts()));
      for (const s of seen) expect(s).toEqual(["n0", "n0", "n1", "n1"]);
      await finalizeAll(server, jobs);
    }
  });

  it("refuses a key nobody put, and keys PMI cannot hold", async () => {
    const { server, jobs } = await startJob(1, ["a"]);
    await jobs[0].fence();
    await expect(jobs[0].get("absent")).rejects.toThrow(/ERR_ARG: rank 0, get: no process put "absent" before the last fence/);
    await expect(jobs[0].put("has space", "v")).rejects.toThrow(/ERR_ARG: rank 0, put: the key "has space"/);
    await expect(jobs[0].put("k".repeat(80), "v")).rejects.toThrow(/use a shorter plain key/);
    await finalizeAll(server, jobs);
  });

  it("passes an abort, with its exit code, to the process manager", async () => {
    const events: string[] = [];
    const { jobs } = await startJob(2, ["a", "b"], undefined, events);
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      const aborted = jobs[1].abort(5, "on purpose");
      await expect.poll(() => events).toContain("abort 1 5");
      // Nobody ends this test process, so the client gives up waiting on its own.
      await aborted;
    } finally {
      process.stderr.write = stderr;
    }
  });

  it("reports a process whose connection ends before it finalized", async () => {
    const events: string[] = [];
    const { server, jobs } = await startJob(1, ["a"], undefined, events);
    // A second process says who it is, then its connection drops: what a crash looks like to the server.
    const crashed = connect({ host: "127.0.0.1", port: server.port });
    await new Promise((r) => crashed.once("connect", r));
    crashed.write("cmd=initack pmiid=1\n");
    await new Promise((r) => crashed.once("data", r));
    crashed.destroy();
    await expect.poll(() => events).toEqual(["lost 1"]);
    await jobs[0].finalize();
    expect(events).toEqual(["lost 1"]);
  });
});
