/**
 * `tsmpi map`: a placement map from a communication profile.
 *
 *   tsmpi map --comm comm.json --hosts H --vms-per-host V --slots S
 *             [--transport T] [--costs FILE] --strategy block|cyclic|random[:seed]|comm-aware
 *             [--mapper builtin|scotch] [--seed N] --out map.json
 *             [--verify prog.ts [--model M] [--compute none|cpu|wall] [-- args]]
 *
 * For comm-aware the candidates are the mapper's map and block, cyclic and
 * random. With --verify each is simulated running the program and the lowest
 * virtual time is kept; without it, the lowest modelled estimate on the
 * profile. The map's "chosen" field records every candidate's figures and why.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { MpiError } from "../errors.ts";
import type { MapChoice } from "../placement/map.ts";
import {
  candidateName,
  type Checked,
  type MapperName,
  type Placed,
  loadProfileGraph,
  parsePathCosts,
  place,
  placeChecked,
  presetCosts,
} from "../placement/mapper/index.ts";
import { computeSetting } from "../engine/sim/settings.ts";
import { modelForTransport } from "../model/for-transport.ts";
import { modelPathCosts, simulator } from "./simulate-map.ts";

export function mapUsage(): string {
  return `usage: tsmpi map --comm comm.json --hosts H --vms-per-host V --slots S --strategy S --out map.json [options]
  --comm FILE           the communication profile (tsmpi profile --out FILE)
  --hosts H, --vms-per-host V, --slots S   the machine: hosts × VMs × rank slots per VM
  --strategy S          block | cyclic | random[:seed] | comm-aware
  --transport T         the transport between VMs: bridged, vf (default), slurpoe
  --costs FILE          path costs as JSON (PathCosts) instead of the transport's built-in ones
  --mapper M            comm-aware engine: builtin (default) or scotch (Debian's scotch_gmap)
  --seed N              the built-in mapper's random stream (default 1)
  --out FILE            where the placement map goes (docs/placement.md)
  --verify PROG         comm-aware: run PROG in the simulator on every candidate map and keep the lowest virtual time
                        (the program's own arguments go after --: tsmpi map … --verify cg.ts -- --class A)
  --model M             the simulator's model: a preset for all, or bridged=xen-bridged,vf=sriov,slurpoe=inic-slurpoe (the default)
  --compute C           how the simulation charges compute: none (default: placements compared on communication alone), cpu, wall`;
}

function positive(values: Record<string, unknown>, flag: string): number {
  const x = Number(values[flag]);
  if (values[flag] === undefined || !Number.isInteger(x) || x < 1)
    throw new MpiError("ERR_ARG", `tsmpi map: --${flag} needs a positive integer, got ${String(values[flag])}`);
  return x;
}

function describe(p: Placed, virtual?: number): string {
  const e = p.evaluation!;
  const simulated = virtual === undefined ? "" : `simulated ${(virtual * 1e3).toFixed(3)} ms, `;
  const busiest = e.busiest ? `, busiest ${e.busiest.resource} ${(e.busiest.seconds * 1e3).toFixed(3)} ms` : "";
  return `${simulated}estimate ${(e.estimate * 1e3).toFixed(3)} ms, bytes inside VMs ${(100 * e.bytesInsideVms).toFixed(1)} %, inside hosts ${(100 * e.bytesInsideHosts).toFixed(1)} %${busiest}`;
}

function choiceRecord(c: Checked, simulation: MapChoice["simulation"]): MapChoice {
  return {
    kept: candidateName(c.kept),
    by: c.simulated ? "simulation" : "model",
    reason: c.reason,
    ...(simulation ? { simulation } : {}),
    candidates: c.candidates.map((p, i) => ({
      strategy: candidateName(p),
      estimateSeconds: p.evaluation!.estimate,
      ...(c.simulated ? { virtualSeconds: c.simulated[i]!.virtualSeconds } : {}),
      bytesInsideVms: p.evaluation!.bytesInsideVms,
      bytesInsideHosts: p.evaluation!.bytesInsideHosts,
    })),
  };
}

export async function mapCommand(args: string[]): Promise<number> {
  let values: Record<string, unknown>;
  let programArgs: string[] = [];
  try {
    const flags = ["comm", "hosts", "vms-per-host", "slots", "strategy", "transport", "costs", "mapper", "seed", "out", "verify", "model", "compute"];
    const parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { ...Object.fromEntries(flags.map((f) => [f, { type: "string" as const }])), help: { type: "boolean", short: "h" } },
    });
    values = parsed.values;
    programArgs = parsed.positionals;
  } catch (e) {
    console.error(`tsmpi map: ${(e as Error).message}\n${mapUsage()}`);
    return 2;
  }
  if (values.help) {
    console.log(mapUsage());
    return 0;
  }
  try {
    for (const f of ["comm", "strategy", "out"]) if (values[f] === undefined) throw new MpiError("ERR_ARG", `tsmpi map: --${f} is required`);
    if (values.verify === undefined && (programArgs.length > 0 || values.model !== undefined || values.compute !== undefined))
      throw new MpiError("ERR_ARG", "tsmpi map: program arguments, --model and --compute go with --verify PROG");
    if (values.verify !== undefined && values.strategy !== "comm-aware")
      throw new MpiError("ERR_ARG", "tsmpi map: --verify checks comm-aware's candidates; use it with --strategy comm-aware");
    const machine = { hosts: positive(values, "hosts"), vmsPerHost: positive(values, "vms-per-host"), slots: positive(values, "slots") };
    const transport = (values.transport as string | undefined) ?? "vf";
    // With --verify the mapper prices pairs with the model the simulation will charge.
    const costs = values.costs
      ? parsePathCosts(JSON.parse(readFileSync(values.costs as string, "utf8")), values.costs as string)
      : values.verify !== undefined
        ? await modelPathCosts(transport, values.model as string | undefined)
        : presetCosts(transport);
    const mapper = (values.mapper as string | undefined) ?? "builtin";
    if (mapper !== "builtin" && mapper !== "scotch") throw new MpiError("ERR_ARG", `tsmpi map: --mapper must be builtin or scotch, got ${mapper}`);
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    const started = performance.now();
    const graph = loadProfileGraph(values.comm as string);
    const strategy = values.strategy as string;
    const common = { graph, machine, costs, transport, seed };
    let kept: Placed;
    if (strategy === "comm-aware") {
      const verify = values.verify as string | undefined;
      const compute = (values.compute as string | undefined) ?? "none";
      if (verify) computeSetting.parse(compute);
      const simulation = verify
        ? { program: verify, args: programArgs, model: modelForTransport(transport, values.model as string | undefined), compute }
        : undefined;
      const checked = await placeChecked(
        { ...common, strategy, mapper: mapper as MapperName },
        simulation ? simulator({ ...simulation, np: graph.n }) : undefined,
      );
      for (const [i, c] of checked.candidates.entries())
        console.log(`${c.how.strategy}${c.how.mapper ? ` (--mapper ${c.how.mapper})` : ""}: ${describe(c, checked.simulated?.[i]?.virtualSeconds)}`);
      kept = checked.kept;
      kept.map.chosen = choiceRecord(checked, simulation);
      console.log(`kept: ${kept.how.strategy} (${checked.reason})`);
    } else {
      kept = await place({ ...common, strategy });
      console.log(`${strategy}: ${describe(kept)}`);
    }
    writeFileSync(values.out as string, `${JSON.stringify(kept.map, null, 2)}\n`);
    console.log(`wrote ${values.out as string} (${graph.n} ranks, ${((performance.now() - started) / 1000).toFixed(2)} s)`);
    return 0;
  } catch (e) {
    console.error(`tsmpi map: ${(e as Error).message}`);
    return 2;
  }
}
