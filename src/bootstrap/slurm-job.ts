/**
 * A Slurm step started without a PMI (`srun` with MpiDefault=none): the
 * environment gives rank, size and nodes, but there is no key-value store.
 * Rank 0 serves one (a PMI-1 server) on a port every task derives from the
 * job and step ids, and every task, rank 0 included, talks PMI-1 to it.
 *
 * Slurm does not end a step when one task fails unless asked
 * (--kill-on-bad-exit), so an abort, or a task that vanishes before
 * finalizing, makes rank 0 cancel the step with scancel.
 */
import { spawnSync } from "node:child_process";
import { MpiError } from "../errors.ts";
import type { Env, JobBootstrap } from "./job.ts";
import { connectPmi1 } from "./pmi1.ts";
import { Pmi1Server } from "./pmi1-server.ts";
import { jobOverPmi } from "./pmi-job.ts";
import { formatProcessMapping } from "./process-mapping.ts";
import { type SlurmStep, readSlurmStep, slurmHosts } from "./slurm.ts";

const CONNECT_PATIENCE_MS = 30_000;

/** The reserved port when the site sets MpiParams=ports=…, else one hashed from the ids. */
export function stepPort(env: Env, step: SlurmStep): number {
  const reserved = /^(\d+)/.exec(env.SLURM_STEP_RESV_PORTS ?? "");
  if (reserved) return Number(reserved[1]);
  const id = (Number.parseInt(step.jobId, 10) || 0) * 64 + (Number.parseInt(step.stepId, 10) || 0);
  return 20000 + (id % 20000);
}

/**
 * Ends the whole step. Used under `--mpi=pmi2` too: Slurm 22.05's PMI-2
 * abort ended only the aborting task and left the others running (measured).
 */
export function cancelStep(step: Pick<SlurmStep, "jobId" | "stepId">, why: string): void {
  process.stderr.write(`tsmpi: ${why}; cancelling Slurm step ${step.jobId}.${step.stepId}\n`);
  const r = spawnSync("scancel", ["--signal=KILL", `${step.jobId}.${step.stepId}`], { stdio: "inherit" });
  if (r.status !== 0) process.exit(1);
}

async function connectWithPatience(env: Env, onLost?: (why: string) => void): Promise<Awaited<ReturnType<typeof connectPmi1>>> {
  const deadline = Date.now() + CONNECT_PATIENCE_MS;
  for (;;) {
    try {
      return await connectPmi1(env, onLost);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function slurmJob(env: Env, host: string, onLost?: (why: string) => void): Promise<JobBootstrap> {
  const step = readSlurmStep(env);
  const port = stepPort(env, step);
  const hosts = slurmHosts(step);
  const server =
    step.rank === 0
      ? await Pmi1Server.listen(
          {
            size: step.size,
            kvsname: `${step.jobId}.${step.stepId}`,
            mapping: hosts && formatProcessMapping(hosts.map((h) => step.nodes.indexOf(h))),
            onAbort: (rank, code) => cancelStep(step, `rank ${rank} aborted the job with exit code ${code}`),
            onLost: (rank) => cancelStep(step, `rank ${rank} ended without finalizing`),
          },
          port,
        )
      : undefined;
  const first = hosts?.[0] ?? step.nodes[0];
  if (first === undefined) throw new MpiError("ERR_ARG", "Slurm environment: the step has no nodes");
  const client = await connectWithPatience({ PMI_PORT: `${first}:${port}`, PMI_ID: String(step.rank) }, onLost);
  return jobOverPmi(
    {
      ...client,
      kind: "slurm",
      finalize: async () => {
        await client.finalize();
        await server?.close();
      },
    },
    host,
  );
}
