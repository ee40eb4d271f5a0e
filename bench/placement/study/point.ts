/**
 * One grid point of `tsmpi study`, run in its own process: profile one
 * program at one size in the sim engine (the counts do not depend on the
 * placement), then place it with every strategy under every transport and
 * price each placement with the cost model. Sends one StudyPoint back over IPC.
 */
import { registerBuiltinTransports } from "../../../transports/index.ts";
import { launch } from "../../../src/launcher/launch.ts";
import { type MapperName, PATH_COST_PRESETS, graphFromProfile, place, placeChecked } from "../../../src/placement/mapper/index.ts";
import { parseProfile } from "../../../src/placement/profile.ts";
import { characterise } from "./characterise.ts";
import type { PointSpec, StudyPoint, StudyRow } from "./types.ts";

async function runPoint(spec: PointSpec): Promise<StudyPoint> {
  const t0 = performance.now();
  const run = await launch({ np: spec.np, program: spec.program, args: spec.args, engine: "sim", profile: true, stdout: () => {}, stderr: () => {} });
  const profileSeconds = (performance.now() - t0) / 1000;
  if (!run.ok || !run.profile) throw new Error(`profiling ${spec.program} on ${spec.np} ranks failed: ${run.failure ?? "no profile"}`);
  const profile = parseProfile(run.profile);
  const graph = graphFromProfile(profile);
  const rows: StudyRow[] = [];
  const vmOf: Record<string, number[]> = {};
  for (const transport of spec.transports) {
    const costs = PATH_COST_PRESETS[transport];
    if (!costs) throw new Error(`no path costs for transport ${transport}`);
    for (const strategy of spec.strategies) {
      const mappers: (MapperName | undefined)[] = strategy === "comm-aware" ? spec.mappers : [undefined];
      for (const mapper of mappers) {
        const s = performance.now();
        const options = { strategy: strategy === "random" ? "random:1" : strategy, graph, machine: spec.machine, costs, transport, mapper };
        // comm-aware as tsmpi map gives it: the mapper's map unless a plain strategy is modelled cheaper.
        const p = strategy === "comm-aware" ? (await placeChecked(options)).kept : await place(options);
        const e = p.evaluation!;
        const top = Object.entries(e.loads)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4);
        rows.push({
          transport,
          strategy: mapper ? `${strategy} (${mapper})` : strategy,
          kept: p.how.strategy,
          estimateSeconds: e.estimate,
          pairSeconds: e.pairSeconds,
          busiest: e.busiest,
          topLoads: top,
          bytesInsideVms: e.bytesInsideVms,
          bytesInsideHosts: e.bytesInsideHosts,
          mapSeconds: (performance.now() - s) / 1000,
        });
        if (transport === spec.transports[0]) vmOf[rows.at(-1)!.strategy] = Array.from(p.vmOf);
      }
    }
  }
  return { spec, profileSeconds, characterisation: characterise(profile, run.seconds), rows, vmOf };
}

registerBuiltinTransports();
process.once("message", (spec: PointSpec) => {
  runPoint(spec).then(
    (point) => process.send!({ ok: true, point }, () => process.exit(0)),
    (e: unknown) => process.send!({ ok: false, error: e instanceof Error ? e.message : String(e) }, () => process.exit(1)),
  );
});
