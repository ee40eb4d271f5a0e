/**
 * The runs `tsmpi model calibrate` and `compare` make, live and in the
 * simulator, on the same placements: two ranks in one VM (shm) or in two VMs
 * on two hosts (vf, bridged, slurpoe: the wire between hosts, as
 * `tsmpi model validate` places its pairs); collectives and NAS kernels in one
 * VM. Each returns what rank 0 returned.
 */
import { fileURLToPath } from "node:url";
import { runSim } from "../../src/engine/sim/run-sim.ts";
import { type LaunchResult, launch } from "../../src/launcher/launch.ts";
import type { Model } from "../../src/model/load.ts";
import { generateMap, type PlacementMap, parseMapBy } from "../../src/placement/index.ts";
import { ResolvedPlacement } from "../../src/placement/resolved.ts";
import p2pMain, { type P2pPlan, type P2pSamples } from "./p2p-program.ts";

export const TRANSPORTS = ["shm", "vf", "bridged", "slurpoe"] as const;
export type Transport = (typeof TRANSPORTS)[number];

/**
 * Round trips per simulated run at small sizes, and at least at any size: the
 * simulator is deterministic, so one repeat suffices, but enough round trips
 * that the core's occasional credit return (one per 32 messages a pair
 * consumes) averages in as it does live.
 */
export const SIM_ITERATIONS = 128;
export const SIM_MIN_ITERATIONS = 64;

export const program = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
export const P2P_PROGRAM = program("./p2p-program.ts");

/** Two ranks over `transport`: one VM for shm, else one VM on each of two hosts. */
export function pairMap(transport: Transport): PlacementMap | undefined {
  if (transport === "shm") return undefined;
  return generateMap({ np: 2, hosts: 2, vmsPerHost: 1, mapBy: parseMapBy("block"), transport });
}

export function pairPlacement(transport: Transport): ResolvedPlacement {
  const map = pairMap(transport);
  return map ? ResolvedPlacement.fromMap(map, 2) : ResolvedPlacement.singleVm(2, "memory");
}

/** Parses a list of transports (`shm,vf`), refusing unknown names. */
export function parseTransports(list: string): Transport[] {
  const names = list.split(",").filter(Boolean);
  for (const n of names) if (!(TRANSPORTS as readonly string[]).includes(n)) throw new Error(`unknown transport "${n}"; choose from ${TRANSPORTS.join(", ")}`);
  return TRANSPORTS.filter((t) => names.includes(t));
}

/** Rank 0's value of a finished launch; throws with the job's failure and its stderr. */
function rank0<T>(r: LaunchResult, what: string, errors: string[]): T {
  if (!r.ok) throw new Error(`${what} failed: ${r.failure ?? "non-zero exit"}\n${errors.slice(-20).join("\n")}`);
  return r.ranks[0]!.value as T;
}

export interface RunSpec {
  np: number;
  program: string;
  args: string[];
  placement?: PlacementMap;
  engine: "live" | "sim";
  /** Simulator settings (`sim.model`, `sim.compute`). */
  settings?: Record<string, string>;
}

/** One job through the launcher, as `tsmpi run` makes it; rank 0's value. */
export async function run<T>(spec: RunSpec, what: string): Promise<T> {
  const errors: string[] = [];
  const r = await launch({
    np: spec.np,
    program: spec.program,
    args: spec.args,
    placement: spec.placement,
    engine: spec.engine,
    settings: spec.settings,
    stdout: () => {},
    stderr: (l) => errors.push(l),
  });
  return rank0<T>(r, what, errors);
}

/** The p2p program live over `transport`. */
export function liveP2p(transport: Transport, plan: P2pPlan): Promise<P2pSamples> {
  return run({ np: 2, program: P2P_PROGRAM, args: [JSON.stringify(plan)], placement: pairMap(transport), engine: "live" }, `live ${transport} ping-pong`);
}

/** The p2p program in the simulator under `model`, compute free (the fit's runs: deterministic, no files). */
export async function simP2p(transport: Transport, model: Model, plan: P2pPlan): Promise<P2pSamples> {
  const results = await runSim({ np: 2, main: p2pMain as never, args: [JSON.stringify(plan)], placement: pairPlacement(transport), model, computeScale: 0 });
  const bad = results.find((r) => !r.ok);
  if (bad) throw new Error(`simulated ${transport} ping-pong failed on rank ${bad.rank}: ${bad.error}`);
  return results[0]!.value as P2pSamples;
}
