/**
 * The placement study `tsmpi start` runs, sized for two cores and ten minutes:
 * NAS CG, IS and FT (class S) at 64 ranks and MG (class S allows at most 32
 * ranks) at 32, on hosts × 4 VMs × 8 slots, plus the scrambled heavy-groups
 * program at 64 ranks and, live beside the simulation, at 8; every placement
 * under bridged, vf and slurpoe simulated, comm-aware the fastest of its
 * candidates. 256 ranks of CG class A is its own run (docs/placement.md): each
 * of its 13 simulations takes about a minute of CPU on this machine.
 */
import { fileURLToPath } from "node:url";
import { runStudy } from "./run.ts";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export const DEFAULT_STUDY = {
  programs: [
    { program: here("../../nas/cg.ts"), args: [] },
    { program: here("../../nas/is.ts"), args: [] },
    { program: here("../../nas/ft.ts"), args: [] },
    { program: here("../../nas/mg.ts"), args: [], np: [32] },
    // groups 0: as many groups of 8 as the size holds (one at 8 ranks, eight at 64).
    { program: here("../../../examples/heavy-groups.ts"), args: ["0", "8", "1", "2"], np: [8, 64] },
  ],
  np: [64],
  vmsPerHost: 4,
  slots: 8,
  strategies: ["block", "cyclic", "random", "comm-aware"],
  transports: ["bridged", "vf", "slurpoe"],
  mappers: ["builtin" as const],
  jobs: 2,
  liveMax: 8,
  repeats: 3,
};

export async function runDefaultStudy(out = "results/placement-study"): Promise<{ files: string[]; failures: string[] }> {
  const { files, failures } = await runStudy({ ...DEFAULT_STUDY, out });
  return { files, failures };
}
