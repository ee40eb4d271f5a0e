import { describe, expect, it } from "vitest";
import { expandTasksPerNode, inSlurmStep, readSlurmStep, slurmHosts } from "../../src/bootstrap/slurm.ts";

// The shape observed under srun on Slurm 22.05.8 (research §C.3), over three nodes.
const task = {
  SLURM_PROCID: "4",
  SLURM_LOCALID: "0",
  SLURM_NODEID: "1",
  SLURM_NTASKS: "6",
  SLURM_STEP_NUM_TASKS: "6",
  SLURM_STEP_NODELIST: "node[01-02],login",
  SLURM_STEP_TASKS_PER_NODE: "2(x2),2",
  SLURMD_NODENAME: "node02",
  SLURM_JOB_ID: "17",
  SLURM_STEP_ID: "0",
};

describe("the Slurm task environment", () => {
  it("gives rank, size, node and the step's nodes", () => {
    expect(inSlurmStep(task)).toBe(true);
    expect(inSlurmStep({ SLURM_JOB_ID: "1" })).toBe(false);
    const step = readSlurmStep(task);
    expect(step).toMatchObject({ rank: 4, size: 6, node: "node02", nodes: ["node01", "node02", "login"], tasksPerNode: [2, 2, 2], jobId: "17", stepId: "0" });
  });

  it("expands tasks per node in run-length form", () => {
    expect(expandTasksPerNode("2(x3),1")).toEqual([2, 2, 2, 1]);
    expect(() => expandTasksPerNode("2x3")).toThrow(/ERR_ARG.*2\(x3\),1/);
  });

  it("lays ranks out by block or cyclic distribution, and admits it cannot for others", () => {
    expect(slurmHosts(readSlurmStep(task))).toEqual(["node01", "node01", "node02", "node02", "login", "login"]);
    const cyclic = readSlurmStep({ ...task, SLURM_DISTRIBUTION: "cyclic", SLURM_STEP_TASKS_PER_NODE: "3,2,1" });
    expect(slurmHosts(cyclic)).toEqual(["node01", "node02", "login", "node01", "node02", "node01"]);
    expect(slurmHosts(readSlurmStep({ ...task, SLURM_DISTRIBUTION: "arbitrary" }))).toBeUndefined();
  });

  it("names what is wrong with a broken environment", () => {
    expect(() => readSlurmStep({ ...task, SLURM_PROCID: "6" })).toThrow(/SLURM_PROCID=6 is not below the step's 6 tasks/);
    expect(() => readSlurmStep({ ...task, SLURM_STEP_TASKS_PER_NODE: "2" })).toThrow(/3 nodes .* tasks per node for 1/);
    expect(() => readSlurmStep({ SLURM_PROCID: "0", SLURM_NTASKS: "x" })).toThrow(/SLURM_NTASKS=x is not a count/);
  });
});
