/**
 * osu.ts under the V8 CPU profiler, one profile per rank (a worker thread's
 * own inspector session: `--cpu-prof` is not allowed in NODE_OPTIONS and
 * the launcher does not forward node flags). Prints each rank's top
 * functions by self time and writes results/profile-rank-N.cpuprofile,
 * which Chrome DevTools opens.
 *
 *   node bin/tsmpi.js run -n 2 bench/p2p/profile.ts --sizes 1M --only latency --scale 5
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import type { Comm } from "tsmpi";
import { formatTable } from "../lib/table.ts";
import osu from "./osu.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (ms), largest first. */
export function selfTimes(profile: Profile): { name: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const name = `${f.functionName || "(anonymous)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
    const dt = profile.timeDeltas[i]! / 1000;
    totals.set(name, (totals.get(name) ?? 0) + dt);
    all += dt;
  });
  return [...totals.entries()].map(([name, ms]) => ({ name, ms, share: ms / all })).sort((a, b) => b.ms - a.ms);
}

export default async function main(world: Comm, args: string[]): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 50 });
  await session.post("Profiler.start");
  await osu(world, [...args, "--quiet"]);
  const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
  session.disconnect();
  mkdirSync("results", { recursive: true });
  writeFileSync(`results/profile-rank-${world.rank}.cpuprofile`, JSON.stringify(profile));
  const top = selfTimes(profile).slice(0, 15);
  console.log(
    `# rank ${world.rank}: top functions by self time\n${formatTable(
      [
        { title: "ms", digits: 1 },
        { title: "share", align: "right" },
        { title: "function", align: "left" },
      ],
      top.map((t) => [t.ms, `${(t.share * 100).toFixed(1)}%`, t.name]),
    )}`,
  );
}
