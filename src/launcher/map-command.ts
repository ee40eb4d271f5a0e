/**
 * `tsmpi map`: a placement map from a communication profile.
 *
 *   tsmpi map --comm comm.json --hosts H --vms-per-host V --slots S
 *             [--transport T] [--costs FILE] --strategy block|cyclic|random[:seed]|comm-aware
 *             [--mapper builtin|scotch] [--seed N] --out map.json
 *
 * For comm-aware the candidates — the mapper's map and block, cyclic and
 * random — are priced by the cost model on the profile and the cheapest is
 * kept (the simulator's virtual time takes this role once it is on main); the
 * table of candidates says why.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { MpiError } from "../errors.ts";
import { type MapperName, type Placed, graphFromProfile, parsePathCosts, place, placeChecked, presetCosts } from "../placement/mapper/index.ts";
import { loadProfile } from "../placement/profile.ts";

export function mapUsage(): string {
  return `usage: tsmpi map --comm comm.json --hosts H --vms-per-host V --slots S --strategy S --out map.json [options]
  --comm FILE           the communication profile (tsmpi profile --out FILE)
  --hosts H, --vms-per-host V, --slots S   the machine: hosts × VMs × rank slots per VM
  --strategy S          block | cyclic | random[:seed] | comm-aware
  --transport T         the transport between VMs: bridged, vf (default), slurpoe
  --costs FILE          path costs as JSON (PathCosts) instead of the transport's built-in ones
  --mapper M            comm-aware engine: builtin (default) or scotch (Debian's scotch_gmap)
  --seed N              the built-in mapper's random stream (default 1)
  --out FILE            where the placement map goes (docs/placement.md)`;
}

function positive(values: Record<string, unknown>, flag: string): number {
  const x = Number(values[flag]);
  if (values[flag] === undefined || !Number.isInteger(x) || x < 1)
    throw new MpiError("ERR_ARG", `tsmpi map: --${flag} needs a positive integer, got ${String(values[flag])}`);
  return x;
}

function describe(p: Placed): string {
  const e = p.evaluation!;
  const busiest = e.busiest ? `, busiest ${e.busiest.resource} ${(e.busiest.seconds * 1e3).toFixed(3)} ms` : "";
  return `estimate ${(e.estimate * 1e3).toFixed(3)} ms, bytes inside VMs ${(100 * e.bytesInsideVms).toFixed(1)} %, inside hosts ${(100 * e.bytesInsideHosts).toFixed(1)} %${busiest}`;
}

export async function mapCommand(args: string[]): Promise<number> {
  let values: Record<string, unknown>;
  try {
    const flags = ["comm", "hosts", "vms-per-host", "slots", "strategy", "transport", "costs", "mapper", "seed", "out"];
    values = parseArgs({
      args,
      options: { ...Object.fromEntries(flags.map((f) => [f, { type: "string" as const }])), help: { type: "boolean", short: "h" } },
    }).values;
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
    const machine = { hosts: positive(values, "hosts"), vmsPerHost: positive(values, "vms-per-host"), slots: positive(values, "slots") };
    const transport = (values.transport as string | undefined) ?? "vf";
    const costs = values.costs ? parsePathCosts(JSON.parse(readFileSync(values.costs as string, "utf8")), values.costs as string) : presetCosts(transport);
    const mapper = (values.mapper as string | undefined) ?? "builtin";
    if (mapper !== "builtin" && mapper !== "scotch") throw new MpiError("ERR_ARG", `tsmpi map: --mapper must be builtin or scotch, got ${mapper}`);
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    const started = performance.now();
    const graph = graphFromProfile(loadProfile(values.comm as string));
    const strategy = values.strategy as string;
    const common = { graph, machine, costs, transport, seed };
    let kept: Placed;
    if (strategy === "comm-aware") {
      const checked = await placeChecked({ ...common, strategy, mapper: mapper as MapperName });
      for (const c of checked.candidates) console.log(`${c.how.strategy}${c.how.mapper ? ` (--mapper ${c.how.mapper})` : ""}: ${describe(c)}`);
      kept = checked.kept;
      console.log(`kept: ${kept.how.strategy} (the lowest modelled estimate)`);
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
