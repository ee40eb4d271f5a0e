/**
 * allreduce (or allreduceInto) of a Float64Array under the V8 CPU profiler in
 * every rank: prints each rank's time per call and its top functions by self
 * time (a worker thread's own inspector session, as bench/p2p/profile.ts).
 *
 *   node bin/tsmpi.js run -n 2 --tag-output [--coll allreduce=rabenseifner] bench/coll/profile.ts [bytes=1M] [calls=200] [into]
 */
import { Session } from "node:inspector/promises";
import { type Comm, Op, wtime } from "tsmpi";
import { numberOption, programCli } from "../lib/cli.ts";
import { parseSizes } from "../lib/sizes.ts";
import { formatTable } from "../lib/table.ts";
import { type Profile, selfTimes } from "../p2p/profile.ts";

const usage = "tsmpi run -n 2 --tag-output bench/coll/profile.ts [bytes=1M] [calls=200] [into]";

export default async function main(world: Comm, args: string[]): Promise<void> {
  const cli = programCli(world.rank, args, usage, {}, true);
  if (!cli) return;
  const [size = "1M", count = "200", into] = cli.positionals;
  const bytes = parseSizes(size)[0]!;
  const calls = Math.round(numberOption(count, "calls", usage) ?? 200);
  const data = new Float64Array(Math.max(1, bytes >> 3)).fill(world.rank);
  const call = into === "into" ? () => world.allreduceInto(data, Op.MAX) : () => world.allreduce(data, Op.MAX);
  for (let i = 0; i < 100; i++) await call(); // warm-up, unprofiled
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 50 });
  await session.post("Profiler.start");
  const t0 = wtime();
  for (let i = 0; i < calls; i++) await call();
  const us = ((wtime() - t0) / calls) * 1e6;
  const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
  session.disconnect();
  const top = selfTimes(profile).slice(0, Number(process.env.TOP ?? 12));
  console.log(
    `# rank ${world.rank}: ${us.toFixed(1)} µs per call (profiled)\n${formatTable(
      [
        { title: "ms", digits: 1 },
        { title: "share", align: "right" },
        { title: "function", align: "left" },
      ],
      top.map((t) => [t.ms, `${(t.share * 100).toFixed(1)}%`, t.name]),
    )}`,
  );
}
