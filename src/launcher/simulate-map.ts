/**
 * Simulating a candidate placement (`tsmpi map --verify`, `tsmpi study`): run
 * the program on the candidate's map in the sim engine under the transport's
 * cost model and report its virtual time and the busiest shared resources.
 * Compute bursts are free by default (`--compute none`): placement changes
 * only where frames go, and on a shared machine a measured burst varies by
 * tens of percent between runs, more than most placements differ; `none`
 * makes the comparison exact and repeatable.
 */
import { MpiError } from "../errors.ts";
import { modelForTransport } from "../model/for-transport.ts";
import { loadModel } from "../model/load.ts";
import { type PathCosts, pathCostsFromModel, type Simulate, type Simulated } from "../placement/mapper/index.ts";
import { loadPath } from "../transport/registry.ts";
import type { PlacementMap } from "../placement/map.ts";
import { launch } from "./launch.ts";

export interface SimulateOptions {
  program: string;
  args: string[];
  np: number;
  /** A preset for every transport, or `bridged=xen-bridged,vf=sriov,…` (default: src/model/for-transport.ts). */
  model?: string;
  /** `none` (default), `cpu` or `wall` (sim.compute). */
  compute?: string;
  /** How many of the most utilised shared resources to keep. */
  top?: number;
}

/** Virtual time of `program` on `map` in the simulator. */
export async function simulateMap(map: PlacementMap, o: SimulateOptions): Promise<Simulated> {
  const model = modelForTransport(map.transport, o.model);
  const run = await launch({
    np: o.np,
    program: o.program,
    args: o.args,
    engine: "sim",
    placement: map,
    settings: { "sim.model": model, "sim.compute": o.compute ?? "none" },
    stdout: () => {},
    stderr: () => {},
  });
  if (!run.ok || !run.sim)
    throw new MpiError("ERR_PLACEMENT", `simulating ${o.program} on ${o.np} ranks under ${model} failed: ${run.failure ?? "no simulator figures"}`);
  const utilisation = Object.entries(run.sim.resources)
    .filter(([, r]) => r.utilisation > 0)
    .sort((a, b) => b[1].utilisation - a[1].utilisation)
    .slice(0, o.top ?? 6)
    .map(([name, r]) => [name, r.utilisation] as const);
  return { virtualSeconds: run.sim.virtualSeconds, utilisation: Object.fromEntries(utilisation) };
}

export const simulator =
  (o: SimulateOptions): Simulate =>
  (candidate) =>
    simulateMap(candidate.map, o);

/**
 * The mapper's path costs for `transport` from the model the simulator runs
 * for it (`spec` as in SimulateOptions.model), so the mapper minimises what
 * the simulation will charge. Needs the transports registered (their path.ts).
 */
export async function modelPathCosts(transport: string, spec?: string): Promise<PathCosts> {
  const name = modelForTransport(transport, spec);
  const model = loadModel(name);
  if (model.kind !== "stages") throw new MpiError("ERR_ARG", `--model ${name}: the mapper needs a stage model (a preset or a calibration), not LogGP`);
  return pathCostsFromModel(transport, model.cost, await loadPath("shm"), await loadPath(transport));
}
