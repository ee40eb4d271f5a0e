// `tsmpi exec` under real launchers: the conformance programs, K ranks per
// launched process, a rank that throws, and a map that disagrees with the launcher.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { alive, lines, repo, requireTool, run, startLocalSlurm } from "./helpers.ts";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const p2p = here("../conformance/programs/p2p.ts");
const collectives = here("../conformance/programs/collectives.ts");
const throws = here("./programs/throws.ts");
const where = here("./programs/where.ts");
const tsmpiExec = [process.execPath, `${repo}bin/tsmpi.js`, "exec"];

const launchers = [
  { name: "mpiexec.hydra", argv: (n: number) => ["mpiexec.hydra", "-n", String(n)] },
  { name: "srun --mpi=pmi2", argv: (n: number) => ["srun", "--mpi=pmi2", "-n", String(n)] },
];

beforeAll(() => {
  requireTool("mpiexec.hydra", "mpich");
  startLocalSlurm();
});

describe.each(launchers)("tsmpi exec under $name", ({ argv }) => {
  it.each([
    ["point-to-point", p2p],
    ["collectives", collectives],
  ])("runs the %s conformance program on 4 processes", { timeout: 120_000 }, async (_, program) => {
    const [command, ...args] = [...argv(4), ...tsmpiExec, program, "--quick"];
    const r = await run(command, args, {}, 110_000);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("ends the job within 10 s of a rank throwing, non-zero, naming the rank, with no process left", { timeout: 60_000 }, async () => {
    let barrierAt = 0;
    const [command, ...args] = [...argv(4), ...tsmpiExec, throws];
    const r = await run(command, args, {}, 30_000, () => (barrierAt = performance.now()));
    const endedAfter = (performance.now() - barrierAt) / 1000;
    const pids = lines<{ rank: number; pid: number }>(r.stdout);
    expect(pids.map((p) => p.rank).sort()).toEqual([0, 1, 2, 3]);
    expect(r.code).not.toBe(0);
    expect(endedAfter).toBeLessThan(10);
    expect(r.stderr).toMatch(/tsmpi: rank 2 failed: Error: rank 2 gives up on purpose/);
    await new Promise((res) => setTimeout(res, 300));
    expect(pids.filter((p) => alive(p.pid))).toEqual([]);
  });
});

describe("tsmpi exec placement", () => {
  it("mpiexec.hydra -n 2 -ppn 1 with --ranks-per-process 4 gives 8 ranks, shm inside each process", { timeout: 60_000 }, async () => {
    const r = await run("mpiexec.hydra", ["-n", "2", "-ppn", "1", ...tsmpiExec, "--ranks-per-process", "4", where]);
    expect(r.code).toBe(0);
    const ranks = lines<{ rank: number; size: number; vm: string; pid: number; to: string[]; sum: number }>(r.stdout).sort((a, b) => a.rank - b.rank);
    expect(ranks.map((x) => x.rank)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const x of ranks) {
      expect(x).toMatchObject({ size: 8, sum: 36, vm: x.rank < 4 ? "vm0" : "vm1" });
      // Same process, same VM: shared memory; the other process: the inter-VM transport.
      expect(x.to.map((t, p) => (p === x.rank ? "-" : (p < 4) === (x.rank < 4) ? "shm" : "vf"))).toEqual(x.to);
      expect(x.pid).toBe(ranks[x.rank < 4 ? 0 : 4]!.pid);
    }
    expect(ranks[0]!.pid).not.toBe(ranks[4]!.pid);
  });

  it("prints the map and warns where the user's map groups VMs differently from the launcher", { timeout: 60_000 }, async () => {
    const file = join(tmpdir(), `tsmpi-exec-map-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        transport: "vf",
        hosts: [
          { name: "hostA", vms: [{ name: "a", ranks: [0] }] },
          { name: "hostB", vms: [{ name: "b", ranks: [1] }] },
        ],
      }),
    );
    const r = await run("mpiexec.hydra", ["-n", "2", ...tsmpiExec, "--placement", file, "--print-map", where]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hostA/);
    expect(r.stderr).toMatch(/tsmpi: warning: the launcher disagrees with the map: a: the map puts it on hostA, apart from b, but the launcher started them all on/);
    expect(lines<{ vm: string }>(r.stdout).map((x) => x.vm).sort()).toEqual(["a", "b"]);
  });
});
