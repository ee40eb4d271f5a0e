/**
 * Which launcher started this process, in order: tsmpi's own launcher, a
 * PMI-2 process manager, PMI-1, a bare Slurm step, else a singleton.
 * `TSMPI_BOOTSTRAP=<kind>` overrides the guess (e.g. pmi1 under a launcher
 * whose PMI-2 is broken).
 *
 * On PMI_FD, Slurm's pmi2 plugin (PMI_JOBID or SLURM_MPI_TYPE set) gets PMI-2;
 * anyone else (Hydra) gets PMI-1: Hydra 4.0.2's PMI-2 kvs-fence answered one
 * process before another had entered it (seen with TSMPI_PMI_TRACE=1), so
 * it is no barrier, and it does not know PMI-2's abort. PMI_PORT (Hydra's
 * -pmi-port) is PMI-1.
 */
import { hostname } from "node:os";
import { MpiError } from "../errors.ts";
import type { BootstrapKind, Env, JobBootstrap } from "./job.ts";
import { connectPmi1 } from "./pmi1.ts";
import { connectPmi2 } from "./pmi2.ts";
import { type PmiClient, jobOverPmi } from "./pmi-job.ts";
import { singletonJob } from "./singleton.ts";
import { inSlurmStep } from "./slurm.ts";
import { cancelStep, slurmJob } from "./slurm-job.ts";

/** tsmpi's own launcher; the engine supplies it (the bootstrap layer does not know the control wire). */
export interface LauncherBootstrap {
  present(env: Env): boolean;
  connect(env: Env): Promise<JobBootstrap>;
}

const KINDS: readonly BootstrapKind[] = ["tsmpi", "pmi2", "pmi1", "slurm", "singleton"];

export function chooseBootstrap(env: Env, launcher?: LauncherBootstrap): BootstrapKind {
  const forced = env.TSMPI_BOOTSTRAP;
  if (forced !== undefined && forced !== "") {
    if (!(KINDS as readonly string[]).includes(forced))
      throw new MpiError("ERR_ARG", `TSMPI_BOOTSTRAP=${forced} is not one of ${KINDS.join(", ")}; unset it to let tsmpi detect the launcher`);
    return forced as BootstrapKind;
  }
  if (launcher?.present(env)) return "tsmpi";
  if (env.PMI_FD !== undefined) return env.PMI_JOBID !== undefined || env.SLURM_MPI_TYPE === "pmi2" ? "pmi2" : "pmi1";
  if (env.PMI_PORT !== undefined) return "pmi1";
  if (inSlurmStep(env)) return "slurm";
  return "singleton";
}

/**
 * The node name this process should report: tsmpi's own (set by the netns
 * wrapper, where every namespace shares one kernel hostname), Hydra's name
 * for the host, Slurm's node name, else the kernel's.
 */
export function hostOf(env: Env): string {
  return env.TSMPI_HOST || env.MPIR_CVAR_CH3_INTERFACE_HOSTNAME || env.SLURMD_NODENAME || hostname();
}

/** Under srun, an abort also cancels the step (Slurm's PMI abort alone left tasks running). */
function endsSlurmStep(client: PmiClient, env: Env): PmiClient {
  const jobId = env.SLURM_JOB_ID ?? env.SLURM_JOBID;
  const stepId = env.SLURM_STEP_ID ?? env.SLURM_STEPID;
  if (jobId === undefined || stepId === undefined) return client;
  return {
    ...client,
    abort: async (code, message) => {
      // The abort line leaves at once; cancel without waiting the client's patience out.
      const told = client.abort(code, message);
      cancelStep({ jobId, stepId }, `rank ${client.rank} aborted the job with exit code ${code}`);
      await told;
    },
  };
}

/** The launcher went away before finalize: it has ended the job, so this process ends too. */
function launcherGone(why: string): void {
  process.stderr.write(`tsmpi: ${why}\n`);
  process.exit(1);
}

export async function detectBootstrap(env: Env = process.env, launcher?: LauncherBootstrap): Promise<JobBootstrap> {
  const kind = chooseBootstrap(env, launcher);
  const host = hostOf(env);
  switch (kind) {
    case "tsmpi":
      if (!launcher) throw new MpiError("ERR_ARG", "TSMPI_BOOTSTRAP=tsmpi but this process was not started by tsmpi run; unset it");
      return launcher.connect(env);
    case "pmi2":
      return jobOverPmi(endsSlurmStep(await connectPmi2(env, launcherGone), env), host);
    case "pmi1":
      return jobOverPmi(endsSlurmStep(await connectPmi1(env, launcherGone), env), host);
    case "slurm":
      return slurmJob(env, host, launcherGone);
    case "singleton":
      return singletonJob(host);
  }
}
