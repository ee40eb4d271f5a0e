import { describe, expect, it } from "vitest";
import { chooseBootstrap, detectBootstrap, hostOf } from "../../src/bootstrap/detect.ts";
import type { JobBootstrap } from "../../src/bootstrap/job.ts";

const slurm = { SLURM_PROCID: "0", SLURM_NTASKS: "2" };
const launcher = { present: (env: Record<string, string | undefined>) => env.TSMPI_JOB !== undefined, connect: async () => ({ kind: "tsmpi" }) as JobBootstrap };

describe("launcher detection", () => {
  it("prefers tsmpi's launcher, then PMI-2, PMI-1, a Slurm step, then a singleton", () => {
    const all = { TSMPI_JOB: "x", PMI_FD: "3", PMI_JOBID: "7.0", PMI_PORT: "h:1", ...slurm };
    expect(chooseBootstrap(all, launcher)).toBe("tsmpi");
    expect(chooseBootstrap({ ...all, TSMPI_JOB: undefined }, launcher)).toBe("pmi2");
    // Hydra's PMI_FD (no Slurm job id): PMI-1, whose barrier Hydra keeps.
    expect(chooseBootstrap({ PMI_FD: "3", PMI_RANK: "0", PMI_SIZE: "2" }, launcher)).toBe("pmi1");
    expect(chooseBootstrap({ PMI_PORT: "h:1", PMI_ID: "0", ...slurm }, launcher)).toBe("pmi1");
    expect(chooseBootstrap(slurm, launcher)).toBe("slurm");
    expect(chooseBootstrap({})).toBe("singleton");
  });

  it("obeys TSMPI_BOOTSTRAP and refuses an unknown kind", () => {
    expect(chooseBootstrap({ PMI_FD: "3", TSMPI_BOOTSTRAP: "pmi1" })).toBe("pmi1");
    expect(() => chooseBootstrap({ TSMPI_BOOTSTRAP: "pmix" })).toThrow(/TSMPI_BOOTSTRAP=pmix is not one of tsmpi, pmi2, pmi1, slurm, singleton/);
  });

  it("names the host as the netns wrapper, Hydra or Slurm named it", () => {
    expect(hostOf({ TSMPI_HOST: "ns1", MPIR_CVAR_CH3_INTERFACE_HOSTNAME: "h", SLURMD_NODENAME: "s" })).toBe("ns1");
    expect(hostOf({ MPIR_CVAR_CH3_INTERFACE_HOSTNAME: "h", SLURMD_NODENAME: "s" })).toBe("h");
    expect(hostOf({ SLURMD_NODENAME: "s" })).toBe("s");
  });

  it("runs a lone process as a singleton whose store publishes at a fence", async () => {
    const job = await detectBootstrap({ TSMPI_HOST: "alone" });
    expect(job).toMatchObject({ kind: "singleton", size: 1, rank: 0, host: "alone" });
    expect(await job.hosts()).toEqual(["alone"]);
    await job.put("k", "v w");
    await expect(job.get("k")).rejects.toThrow(/ERR_ARG: rank 0, get: no process put "k" before the last fence/);
    await job.fence();
    expect(await job.get("k")).toBe("v w");
  });
});
