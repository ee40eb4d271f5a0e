// Live hang detection: a receive-receive deadlock, a skipped barrier and a
// main awaiting a promise that never settles each end the job non-zero within
// seconds with ERR_DEADLOCK naming each rank's state; a slow job whose frames
// trickle, and one whose rank computes while its peer waits, are not killed.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch, type LaunchResult } from "../../src/launcher/launch.ts";
import { generateMap, parseMapBy } from "../../src/placement/index.ts";

const program = (name: string): string => fileURLToPath(new URL(`./programs/${name}.ts`, import.meta.url));

async function run(name: string, args: string[], transport?: string, engine: "live" | "sim" = "live"): Promise<LaunchResult & { lines: string[] }> {
  const lines: string[] = [];
  const r = await launch({
    np: 2,
    engine,
    program: program(name),
    args,
    settings: { "job.deadlockAfter": "2" },
    placement: transport ? generateMap({ np: 2, hosts: 2, vmsPerHost: 1, mapBy: parseMapBy("block"), transport }) : undefined,
    stdout: (l) => lines.push(l),
    stderr: (l) => lines.push(l),
  });
  return { ...r, lines };
}

describe("live hang detection", () => {
  it("ends a receive-receive deadlock with ERR_DEADLOCK naming both pending receives", { timeout: 60_000 }, async () => {
    const r = await run("hang", ["recv-recv"]);
    expect(r.ok).toBe(false);
    expect(r.exitCode).not.toBe(0);
    expect(r.failure).toMatch(/ERR_DEADLOCK/);
    expect(r.failure).toMatch(/rank 0 is blocked in MPI, waiting on .*1/);
    expect(r.failure).toMatch(/rank 1 is blocked in MPI/);
  });

  it("ends a skipped barrier across VMs, naming the rank that returned", { timeout: 60_000 }, async () => {
    const r = await run("hang", ["skipped-barrier"], "vf");
    expect(r.failure).toMatch(/ERR_DEADLOCK/);
    expect(r.failure).toMatch(/rank 0 is blocked in MPI/);
    expect(r.failure).toMatch(/rank 1 has returned from main/);
  });

  it("ends a skipped barrier in shared memory (no frames to wait for), naming the wait", { timeout: 60_000 }, async () => {
    const r = await run("hang", ["skipped-shared-barrier"]);
    expect(r.failure).toMatch(/ERR_DEADLOCK/);
    expect(r.failure).toMatch(/rank 0 is blocked in MPI, waiting on barrier \(collective call #2\) on context 1, in shared memory, waiting for every member to arrive/);
    expect(r.failure).toMatch(/rank 1 has returned from main/);
  });

  it("ends a main awaiting a promise that never settles, naming it", { timeout: 60_000 }, async () => {
    const r = await run("hang", ["never-settles"]);
    expect(r.failure).toMatch(/ERR_DEADLOCK/);
    expect(r.failure).toMatch(/rank 1 is outside MPI, its main awaiting something that never settles/);
    expect(r.failure).toMatch(/rank 0 is blocked in MPI/);
  });

  it("in the simulator too: a main awaiting a promise that never settles, and a skipped barrier, are named at once", { timeout: 60_000 }, async () => {
    const never = await run("hang", ["never-settles"], undefined, "sim");
    expect(never.failure).toMatch(/ERR_DEADLOCK/);
    expect(never.failure).toMatch(/rank 1 is outside MPI, its main awaiting something that never settles/);
    expect(never.failure).toMatch(/rank 0 waits on recv\(source 1, tag 3\)/);
    const skipped = await run("hang", ["skipped-barrier"], undefined, "sim");
    expect(skipped.failure).toMatch(/rank 0 waits on barrier \(collective call #0\) on context 1, receiving from rank 1/);
    expect(skipped.failure).toMatch(/rank 1 has returned from main/);
  });

  it("leaves alone a job whose frames trickle, and one whose rank computes while its peer waits", { timeout: 90_000 }, async () => {
    const trickle = await run("slow", ["trickle", "5"]);
    expect(trickle.failure, trickle.lines.join("\n")).toBeUndefined();
    expect(trickle.ranks.map((x) => x.value)).toEqual([0, 5]);
    const compute = await run("slow", ["compute", "5"]);
    expect(compute.failure, compute.lines.join("\n")).toBeUndefined();
    expect(compute.ranks.map((x) => x.value)).toEqual([1, 0]);
  });
});
