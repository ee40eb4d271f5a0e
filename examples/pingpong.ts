// Ping-pong between ranks 0 and 1; prints the median half round trip by size.
import { type Comm, wtime } from "tsmpi";

export default async function main(world: Comm, args: string[]): Promise<void> {
  if (world.size < 2) throw new Error("pingpong needs at least 2 ranks");
  const iterations = Number(args[0] ?? 1000);
  for (const bytes of [8, 1024, 65536, 1 << 20]) {
    const buf = new Uint8Array(bytes);
    const reps = bytes >= 1 << 20 ? Math.max(10, iterations / 100) : iterations;
    const samples: number[] = [];
    for (let round = 0; round < 5; round++) {
      await world.barrier();
      const t0 = wtime();
      for (let i = 0; i < reps; i++) {
        if (world.rank === 0) {
          await world.send(buf, 1);
          await world.recvInto(buf, 1);
        } else if (world.rank === 1) {
          await world.recvInto(buf, 0);
          await world.send(buf, 0);
        }
      }
      samples.push(((wtime() - t0) / reps / 2) * 1e6);
    }
    samples.sort((a, b) => a - b);
    if (world.rank === 0) console.log(`${String(bytes).padStart(8)} B  ${samples[2]!.toFixed(2)} us half round trip (median of 5)`);
  }
}
