/**
 * Every repeat's 8 B half round trip between ranks 0 and 1, in order, with
 * no warm-up: shows how long the JIT takes to settle and how much single
 * repeats spread (a median hides both). Rank 0 prints one line of µs.
 *
 *   node bin/tsmpi.js run -n 2 bench/p2p/latency-trace.ts [repeats=30] [round trips per repeat=2000]
 */
import { type Comm, wtime } from "tsmpi";

export default async function main(world: Comm, args: string[]): Promise<void> {
  const buf = new Uint8Array(8);
  const repeats = Number(args[0] ?? 30);
  const iterations = Number(args[1] ?? 2000);
  const out: string[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = wtime();
    if (world.rank === 0) {
      for (let i = 0; i < iterations; i++) {
        await world.send(buf, 1, 1);
        await world.recvInto(buf, 1, 1);
      }
    } else if (world.rank === 1) {
      for (let i = 0; i < iterations; i++) {
        await world.recvInto(buf, 0, 1);
        await world.send(buf, 0, 1);
      }
    }
    out.push((((wtime() - t0) / iterations / 2) * 1e6).toFixed(2));
  }
  if (world.rank === 0) console.log(out.join(" "));
}
