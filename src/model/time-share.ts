/**
 * Ranks time-sharing one machine's cores. A live emulation runs every rank of
 * the job on this machine: with np ranks on c cores (np > c), each rank gets
 * c/np of a core while all compute, so its compute bursts and the CPU work of
 * its frames take np/c times longer than alone. A model that gives
 * `machine.cores` (a calibration of this machine does) asks the simulator to
 * charge that, processor sharing in its simplest form; a model without it
 * (the presets: one core per rank) charges nothing extra.
 */
import type { CostModel, Stage } from "../transport/cost.ts";

/** How much longer a rank's CPU work takes with `np` ranks on the model's cores (1 when they fit). */
export function timeShareFactor(model: CostModel, np: number): number {
  if (!model.has("machine.cores")) return 1;
  const cores = model.value("machine.cores");
  return cores > 0 && np > cores ? np / cores : 1;
}

/** `stages` with every rank-CPU stage's service time × `factor` (the path's other resources are not the ranks' cores). */
export function timeShared(stages: Stage[], factor: number): Stage[] {
  if (factor === 1) return stages;
  return stages.map((s) => (s.resource.startsWith("cpu@") ? { ...s, perFrame: s.perFrame * factor, perByte: s.perByte * factor } : s));
}
