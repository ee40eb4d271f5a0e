/** The simulator's settings: the cost model and how compute bursts are charged. */
import { choiceSetting, numberSetting, type Setting, stringSetting } from "../../settings/registry.ts";

export const modelSetting = stringSetting({
  key: "sim.model",
  owner: "sim",
  default: "sriov-posted",
  flag: "model",
  doc: "the cost model: a preset (xen-bridged, sriov, sriov-posted, inic-slurpoe, native, host-core-nic), a JSON file, or loggp:L=..,o=..,g=..,G=..[,O=..,S=..]",
});

export const computeSetting = choiceSetting({
  key: "sim.compute",
  owner: "sim",
  choices: ["wall", "none"] as const,
  default: "wall",
  flag: "compute",
  doc: "wall: a rank's compute burst is the wall time it ran between MPI calls (× sim.computeScale); none: compute is free (communication studies, deterministic)",
});

export const computeScaleSetting = numberSetting({
  key: "sim.computeScale",
  owner: "sim",
  default: 1,
  min: 0,
  flag: "compute-scale",
  doc: "multiplies every compute burst (0.5: a host twice as fast as this one)",
});

export const simSettings: readonly Setting[] = [modelSetting, computeSetting, computeScaleSetting];

/** The compute scale the settings ask for (0 with --compute none). */
export function computeScaleFrom(settings: Readonly<Record<string, string>>): number {
  return computeSetting.read(settings) === "none" ? 0 : computeScaleSetting.read(settings);
}
