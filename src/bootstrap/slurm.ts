/**
 * What a Slurm task's environment says about its job (observed under Slurm
 * 22.05.8, ../shared/research/simulation-mapping-launchers.md §C.3): its rank,
 * the step's size, node list and tasks per node, and how tasks were laid out.
 */
import { MpiError } from "../errors.ts";
import { expandHostlist } from "./hostlist.ts";
import type { Env } from "./job.ts";

export interface SlurmStep {
  readonly jobId: string;
  readonly stepId: string;
  readonly rank: number;
  readonly size: number;
  /** This task's node (SLURMD_NODENAME). */
  readonly node: string;
  /** The step's nodes, in Slurm's order. */
  readonly nodes: readonly string[];
  /** Tasks on each of `nodes`. */
  readonly tasksPerNode: readonly number[];
  /** SLURM_DISTRIBUTION's first word: block, cyclic, plane, arbitrary…; "block" when unset. */
  readonly distribution: string;
}

/** True when this process runs as a task of a Slurm step. */
export function inSlurmStep(env: Env): boolean {
  return env.SLURM_PROCID !== undefined && (env.SLURM_STEP_NUM_TASKS ?? env.SLURM_NTASKS ?? env.SLURM_NPROCS) !== undefined;
}

function count(env: Env, names: readonly string[]): number {
  for (const name of names) {
    const v = env[name];
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new MpiError("ERR_ARG", `Slurm environment: ${name}=${v} is not a count; this task was not started the way Slurm starts tasks`);
    return n;
  }
  throw new MpiError("ERR_ARG", `Slurm environment: none of ${names.join(", ")} is set; run the program under srun`);
}

/** `2(x3),1` → [2, 2, 2, 1] (SLURM_TASKS_PER_NODE's run-length form). */
export function expandTasksPerNode(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(",")) {
    const m = /^(\d+)(?:\(x(\d+)\))?$/.exec(part.trim());
    if (!m) throw new MpiError("ERR_ARG", `Slurm environment: tasks per node ${JSON.stringify(text)} is not of the form 2(x3),1`);
    for (let i = 0; i < Number(m[2] ?? 1); i++) out.push(Number(m[1]));
  }
  return out;
}

export function readSlurmStep(env: Env): SlurmStep {
  const size = count(env, ["SLURM_STEP_NUM_TASKS", "SLURM_NTASKS", "SLURM_NPROCS"]);
  const rank = count(env, ["SLURM_PROCID"]);
  if (rank >= size) throw new MpiError("ERR_ARG", `Slurm environment: SLURM_PROCID=${rank} is not below the step's ${size} tasks`);
  const list = env.SLURM_STEP_NODELIST ?? env.SLURM_JOB_NODELIST ?? env.SLURM_NODELIST;
  const node = env.SLURMD_NODENAME ?? env.SLURM_TOPOLOGY_ADDR;
  if (list === undefined || node === undefined) throw new MpiError("ERR_ARG", "Slurm environment: SLURM_STEP_NODELIST or SLURMD_NODENAME is missing; run the program under srun");
  const nodes = expandHostlist(list);
  const perNode = env.SLURM_STEP_TASKS_PER_NODE ?? env.SLURM_TASKS_PER_NODE;
  const tasksPerNode = perNode === undefined ? nodes.map(() => Math.ceil(size / nodes.length)) : expandTasksPerNode(perNode);
  if (tasksPerNode.length !== nodes.length)
    throw new MpiError("ERR_ARG", `Slurm environment: ${nodes.length} nodes (${list}) but tasks per node for ${tasksPerNode.length} (${perNode})`);
  return {
    jobId: env.SLURM_JOB_ID ?? env.SLURM_JOBID ?? "0",
    stepId: env.SLURM_STEP_ID ?? env.SLURM_STEPID ?? "0",
    rank,
    size,
    node,
    nodes,
    tasksPerNode,
    distribution: (env.SLURM_DISTRIBUTION ?? "block").split(/[:,=]/)[0],
  };
}

/**
 * Node name per rank when the layout follows from the environment alone
 * (block or cyclic over the nodes' task counts); undefined otherwise (plane,
 * arbitrary), when only an exchange of names can tell.
 */
export function slurmHosts(step: SlurmStep): string[] | undefined {
  const left = [...step.tasksPerNode];
  const hosts: string[] = [];
  if (step.distribution === "block") {
    step.nodes.forEach((n, i) => {
      for (let t = 0; t < left[i]; t++) hosts.push(n);
    });
  } else if (step.distribution === "cyclic") {
    while (hosts.length < step.size && left.some((l) => l > 0))
      step.nodes.forEach((n, i) => {
        if (left[i]-- > 0) hosts.push(n);
      });
  } else return undefined;
  return hosts.length === step.size ? hosts : undefined;
}
