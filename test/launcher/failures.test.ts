// kill -9 of a VM process or of a bridge mid-run: the job ends within 5 s,
// non-zero, naming what died and its ranks, and leaves no process behind.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";
import { generateMap, parseMapBy } from "../../src/placement/index.ts";

const steady = fileURLToPath(new URL("./programs/steady.ts", import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killMidRun(transport: string, victim: (vms: Map<string, number>, jobs: Map<string, number>) => number) {
  const vms = new Map<string, number>();
  const jobs = new Map<string, number>();
  let killedAt = 0;
  let started = 0;
  const np = 4;
  const r = await launch({
    np,
    program: steady,
    args: ["400", "50"],
    placement: generateMap({ np, hosts: 2, vmsPerHost: 1, mapBy: parseMapBy("block"), transport }),
    onProcess: (p) => (p.kind === "vm" ? vms : jobs).set(p.name, p.pid),
    stdout: (line) => {
      if (line.startsWith("started ") && ++started === np)
        setTimeout(() => {
          killedAt = performance.now();
          process.kill(victim(vms, jobs), "SIGKILL");
        }, 300);
    },
    stderr: () => {},
  });
  const endedAfter = (performance.now() - killedAt) / 1000;
  // Give the kernel a moment to reap what was killed at the very end.
  await new Promise((res) => setTimeout(res, 200));
  const leftovers = [...vms.values(), ...jobs.values()].filter(alive);
  return { r, endedAfter, leftovers, killedAt };
}

describe("failures", () => {
  it("kill -9 of a VM process ends a vf job within 5 s, non-zero, naming the VM and its ranks, no orphans", { timeout: 30_000 }, async () => {
    const { r, endedAfter, leftovers, killedAt } = await killMidRun("vf", (vms) => vms.get("vm1")!);
    expect(killedAt).toBeGreaterThan(0);
    expect(r.ok).toBe(false);
    expect(r.exitCode).not.toBe(0);
    expect(endedAfter).toBeLessThan(5);
    expect(r.failure).toMatch(/VM vm1 \(process \d+, ranks 2,3\) was killed by SIGKILL/);
    expect(leftovers).toEqual([]);
  });

  it("kill -9 of a bridge ends a bridged job within 5 s, naming the bridge, its VMs and ranks, no orphans", { timeout: 30_000 }, async () => {
    const { r, endedAfter, leftovers, killedAt } = await killMidRun("bridged", (_, jobs) => jobs.get("bridge host0")!);
    expect(killedAt).toBeGreaterThan(0);
    expect(r.ok).toBe(false);
    expect(r.exitCode).not.toBe(0);
    expect(endedAfter).toBeLessThan(5);
    expect(r.failure).toMatch(/bridge of host host0 \(process \d+, serving VMs vm0, ranks 0,1\) was killed by SIGKILL/);
    expect(leftovers).toEqual([]);
  });
});
