/**
 * The placement study `tsmpi start` runs: the NAS kernels CG, IS, FT (class S)
 * and MG (class W: class S allows at most 32 ranks) plus the scrambled
 * heavy-groups program, at 64 ranks on 2 hosts × 4 VMs × 8 slots, under
 * bridged, vf and slurpoe, with block, cyclic, random and comm-aware.
 */
import { fileURLToPath } from "node:url";
import { runStudy } from "./run.ts";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export async function runDefaultStudy(out = "results/placement-study"): Promise<{ files: string[]; failures: string[] }> {
  const { files, failures } = await runStudy({
    programs: [
      { program: here("../../nas/cg.ts"), args: [] },
      { program: here("../../nas/is.ts"), args: [] },
      { program: here("../../nas/ft.ts"), args: [] },
      { program: here("../../nas/mg.ts"), args: ["--class", "W"] },
      { program: here("../../../examples/heavy-groups.ts"), args: ["8", "8", "1", "2"] },
    ],
    np: [64],
    vmsPerHost: 4,
    slots: 8,
    strategies: ["block", "cyclic", "random", "comm-aware"],
    transports: ["bridged", "vf", "slurpoe"],
    mappers: ["builtin"],
    jobs: 2,
    out,
  });
  return { files, failures };
}
