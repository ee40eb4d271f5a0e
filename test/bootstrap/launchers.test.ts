// Real launchers start real processes: MPICH's Hydra (PMI-2, PMI-1 over
// PMI_FD, PMI-1 port mode) and Slurm (srun --mpi=pmi2 with either client, and
// a bare step with tsmpi's own PMI server). Each process puts, fences and gets
// every other's value; an abort ends the whole job, non-zero, with nothing left.
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { alive, lines, nodeProgram, requireTool, run, startLocalSlurm } from "./helpers.ts";

const program = fileURLToPath(new URL("./programs/kvs.ts", import.meta.url));
const np = 4;

interface Report {
  kind: string;
  rank: number;
  size: number;
  host: string;
  hosts: string[];
  ok: boolean;
  missing: string;
}

const launchers = [
  { name: "mpiexec.hydra (PMI-1 on PMI_FD)", kind: "pmi1", argv: ["mpiexec.hydra", "-n", String(np)] },
  { name: "mpiexec.hydra (PMI-2, forced)", kind: "pmi2", argv: ["mpiexec.hydra", "-genv", "TSMPI_BOOTSTRAP", "pmi2", "-n", String(np)] },
  { name: "mpiexec.hydra -pmi-port (PMI-1 port mode)", kind: "pmi1", argv: ["mpiexec.hydra", "-pmi-port", "-n", String(np)] },
  { name: "srun --mpi=pmi2 (PMI-2)", kind: "pmi2", argv: ["srun", "--mpi=pmi2", "-n", String(np)] },
  { name: "srun --mpi=pmi2 (PMI-1 client)", kind: "pmi1", argv: ["srun", "--mpi=pmi2", "--export=ALL,TSMPI_BOOTSTRAP=pmi1", "-n", String(np)] },
  { name: "srun without PMI (tsmpi's PMI server)", kind: "slurm", argv: ["srun", "--mpi=none", "-n", String(np)] },
];

beforeAll(() => {
  requireTool("mpiexec.hydra", "mpich");
  startLocalSlurm();
});

describe.each(launchers)("under $name", ({ kind, argv }) => {
  it(`${np} processes share a key-value store through put, fence and get`, { timeout: 60_000 }, async () => {
    const [command, ...args] = [...argv, ...nodeProgram(program, "kvs")];
    const r = await run(command, args);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const reports = lines<Report>(r.stdout).sort((a, b) => a.rank - b.rank);
    expect(reports.map((p) => p.rank)).toEqual([0, 1, 2, 3]);
    for (const p of reports) {
      expect(p).toMatchObject({ kind, size: np, ok: true });
      expect(p.hosts).toEqual(reports.map((q) => q.host));
      expect(p.missing).toMatch(/ERR_ARG: rank \d, get: no process put "nobody.put.this"/);
    }
  });

  it("an abort on rank 1 ends the job within 10 s, non-zero, naming the rank, no process left", { timeout: 60_000 }, async () => {
    const [command, ...args] = [...argv, ...nodeProgram(program, "abort")];
    const r = await run(command, args, {}, 30_000);
    const pids = lines<{ rank: number; pid: number }>(r.stdout);
    expect(pids.map((p) => p.rank).sort()).toEqual([0, 1, 2, 3]);
    expect(r.signal).toBeNull();
    expect(r.code).not.toBe(0);
    expect(r.seconds).toBeLessThan(10);
    expect(r.stderr).toMatch(/rank 1 aborts the job \(exit code 7\): rank 1 gives up on purpose/);
    await new Promise((res) => setTimeout(res, 300));
    expect(pids.filter((p) => alive(p.pid))).toEqual([]);
  });
});
