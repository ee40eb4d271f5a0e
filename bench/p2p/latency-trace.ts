/**
 * Every repeat's 8 B half round trip between ranks 0 and 1, in order, with
 * no warm-up: shows how long the JIT takes to settle and how much single
 * repeats spread (a median hides both). Rank 0 prints one line of µs.
 *
 *   node bin/tsmpi.js run -n 2 bench/p2p/latency-trace.ts [repeats=30] [round trips per repeat=2000]
 */
import { type Comm, wtime } from "tsmpi";
import { numberOption, programCli } from "../lib/cli.ts";
import { pingPong } from "./measure.ts";

const usage = "tsmpi run -n 2 bench/p2p/latency-trace.ts [repeats=30] [round trips per repeat=2000]";

export default async function main(world: Comm, args: string[]): Promise<void> {
  const buf = new Uint8Array(8);
  const cli = programCli(world.rank, args, usage, {}, true);
  if (!cli) return;
  const [r = "30", n = "2000"] = cli.positionals;
  const repeats = Math.round(numberOption(r, "repeats", usage) ?? 30);
  const iterations = Math.round(numberOption(n, "round trips", usage) ?? 2000);
  const out: string[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = wtime();
    await pingPong(world, buf, iterations);
    out.push((((wtime() - t0) / iterations / 2) * 1e6).toFixed(2));
  }
  if (world.rank === 0) console.log(out.join(" "));
}
