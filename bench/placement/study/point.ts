/**
 * One grid point of `tsmpi study`, run in its own process: profile one
 * program at one size in the sim engine (the counts do not depend on the
 * placement), place it with every strategy under every transport, simulate
 * every placement (virtual time under the transport's model), keep for
 * comm-aware the fastest of its candidates, and, for small sizes, run each
 * placement live too. Sends one StudyPoint back over IPC.
 */
import { availableParallelism } from "node:os";
import { registerBuiltinTransports } from "../../../transports/index.ts";
import { launch } from "../../../src/launcher/launch.ts";
import { modelPathCosts, simulator } from "../../../src/launcher/simulate-map.ts";
import {
  candidateName,
  graphFromProfile,
  type MapperName,
  type Placed,
  place,
  placeChecked,
  type Simulate,
  type Simulated,
} from "../../../src/placement/mapper/index.ts";
import type { PlacementMap } from "../../../src/placement/map.ts";
import { modelForTransport } from "../../../src/model/for-transport.ts";
import { parseProfile } from "../../../src/placement/profile.ts";
import { oversubscription } from "../../lib/load.ts";
import { summarize } from "../../lib/stats.ts";
import { characterise } from "./characterise.ts";
import type { LiveFigure, PointSpec, StudyPoint, StudyRow } from "./types.ts";

/** Simulates each distinct map once: comm-aware's plain candidates are the plain rows' maps. */
function cachedSimulator(simulate: Simulate): Simulate & { cache: Map<string, Simulated> } {
  const cache = new Map<string, Simulated>();
  const f = async (p: Placed): Promise<Simulated> => {
    const key = candidateName(p);
    let s = cache.get(key);
    if (!s) cache.set(key, (s = await simulate(p)));
    return s;
  };
  return Object.assign(f, { cache });
}

/** The program's own time when rank 0 returns one (the NAS kernels' timed section), else the job's wall time. */
async function runLive(spec: PointSpec, map: PlacementMap): Promise<LiveFigure> {
  const samples: number[] = [];
  let measured: LiveFigure["measured"] = "program";
  for (let i = 0; i < spec.repeats; i++) {
    const run = await launch({ np: spec.np, program: spec.program, args: spec.args, placement: map, stdout: () => {}, stderr: () => {} });
    if (!run.ok) throw new Error(`live run of ${spec.label} on ${spec.np} ranks (${map.transport}) failed: ${run.failure}`);
    const time = (run.ranks[0]?.value as { time?: unknown } | undefined)?.time;
    if (typeof time === "number") samples.push(time);
    else {
      measured = "job";
      samples.push(run.seconds);
    }
  }
  return { seconds: summarize(samples), measured };
}

function rowOf(transport: string, strategy: string, p: Placed, sim: Simulated, mapSeconds: number): StudyRow {
  const e = p.evaluation!;
  return {
    transport,
    strategy,
    kept: candidateName(p),
    virtualSeconds: sim.virtualSeconds,
    utilisation: sim.utilisation,
    estimateSeconds: e.estimate,
    pairSeconds: e.pairSeconds,
    busiest: e.busiest,
    topLoads: Object.entries(e.loads)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4),
    bytesInsideVms: e.bytesInsideVms,
    bytesInsideHosts: e.bytesInsideHosts,
    mapSeconds,
  };
}

async function runPoint(spec: PointSpec): Promise<StudyPoint> {
  const machine = spec.machine;
  // Profiled on the block map under the first transport's model with compute charged by CPU time: the counts
  // do not depend on the placement, and the run's virtual time gives the compute share (below).
  const blockMap = (await place({ strategy: "block", np: spec.np, machine, transport: spec.transports[0]! })).map;
  const t0 = performance.now();
  const run = await launch({
    np: spec.np,
    program: spec.program,
    args: spec.args,
    engine: "sim",
    placement: blockMap,
    settings: { "sim.model": modelForTransport(blockMap.transport, spec.model), "sim.compute": "cpu" },
    profile: true,
    stdout: () => {},
    stderr: () => {},
  });
  const profileSeconds = (performance.now() - t0) / 1000;
  if (!run.ok || !run.profile) throw new Error(`profiling ${spec.program} on ${spec.np} ranks failed: ${run.failure ?? "no profile"}`);
  const profile = parseProfile(run.profile);
  const graph = graphFromProfile(profile);
  const rows: StudyRow[] = [];
  /** The map each row stands for (comm-aware: the candidate it kept), for the live runs. */
  const maps: PlacementMap[] = [];
  const vmOf: Record<string, number[]> = {};
  const t1 = performance.now();
  for (const transport of spec.transports) {
    const costs = await modelPathCosts(transport, spec.model);
    const simulate = cachedSimulator(simulator({ program: spec.program, args: spec.args, np: spec.np, model: spec.model, compute: spec.compute }));
    for (const strategy of spec.strategies) {
      const mappers: (MapperName | undefined)[] = strategy === "comm-aware" ? spec.mappers : [undefined];
      for (const mapper of mappers) {
        const s = performance.now();
        const options = { strategy: strategy === "random" ? "random:1" : strategy, graph, machine: spec.machine, costs, transport, mapper };
        let row: StudyRow;
        let kept: Placed;
        if (strategy === "comm-aware") {
          // As tsmpi map --verify gives it: the fastest in the simulator of the mapper's map and block, cyclic, random.
          const checked = await placeChecked(options, simulate);
          kept = checked.kept;
          const best = checked.simulated![checked.candidates.indexOf(kept)]!;
          row = rowOf(transport, `comm-aware (${mapper})`, kept, best, (performance.now() - s) / 1000);
          row.mapperVirtualSeconds = checked.simulated![0]!.virtualSeconds;
        } else {
          kept = await place(options);
          row = rowOf(transport, strategy, kept, await simulate(kept), (performance.now() - s) / 1000);
        }
        rows.push(row);
        maps.push(kept.map);
        if (transport === spec.transports[0]) vmOf[row.strategy] = Array.from(kept.vmOf);
      }
    }
  }
  // Compute is the same under every placement: what block under the first transport adds when bursts are
  // charged (the profiling run) is the compute that communication does not hide, added to each transport's
  // communication alone to give its share.
  const communication: StudyPoint["communication"] = {};
  const first = rows.find((r) => r.transport === spec.transports[0] && r.strategy === "block");
  const compute = first && run.sim && spec.compute === "none" ? Math.max(0, run.sim.virtualSeconds - first.virtualSeconds) : undefined;
  for (const r of rows)
    if (r.strategy === "block" && compute !== undefined)
      communication[r.transport] = {
        communicationSeconds: r.virtualSeconds,
        withComputeSeconds: r.virtualSeconds + compute,
        share: r.virtualSeconds / (r.virtualSeconds + compute),
      };
  const simulateSeconds = (performance.now() - t1) / 1000;
  let oversubscribed: string | undefined;
  if (spec.live) {
    for (let i = 0; i < rows.length; i++) rows[i]!.live = await runLive(spec, maps[i]!);
    const vms = spec.machine.hosts * spec.machine.vmsPerHost;
    const nicThreads = spec.transports.includes("slurpoe") ? vms : 0;
    const bridges = spec.transports.includes("bridged") ? spec.machine.hosts : 0;
    oversubscribed = oversubscription({ ranks: spec.np, nicThreads, bridges, cores: availableParallelism() });
  }
  return { spec, profileSeconds, characterisation: characterise(profile, run.seconds), rows, vmOf, oversubscribed, communication, simulateSeconds };
}

registerBuiltinTransports();
process.once("message", (spec: PointSpec) => {
  runPoint(spec).then(
    (point) => process.send!({ ok: true, point }, () => process.exit(0)),
    (e: unknown) => process.send!({ ok: false, error: e instanceof Error ? e.message : String(e) }, () => process.exit(1)),
  );
});
