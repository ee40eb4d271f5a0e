// The tsmpi side of bench/transports/p2p-transports.ts: ranks 0 and 1 ping-pong
// (half round trip, µs) and stream windows of messages (MB/s), OSU style.
// Args: iterations sizes(comma) bwBytes window bwIterations repeats. Rank 0 returns the results.
import { type Comm, wtime } from "tsmpi";

export default async function main(world: Comm, args: string[]): Promise<unknown> {
  const [iterations, sizes, bwBytes, window, bwIterations, repeats] = args.map((a, i) => (i === 1 ? 0 : Number(a)));
  const { rank } = world;
  const latency: Record<number, number[]> = {};
  for (const bytes of args[1]!.split(",").map(Number)) {
    const buf = new Uint8Array(Math.max(1, bytes));
    latency[bytes] = [];
    for (let r = 0; r < repeats!; r++) {
      for (const n of [300, iterations!]) {
        await world.barrier();
        const t0 = wtime();
        for (let i = 0; i < n; i++) {
          if (rank === 0) {
            await world.send(buf, 1);
            await world.recvInto(buf, 1);
          } else if (rank === 1) {
            await world.recvInto(buf, 0);
            await world.send(buf, 0);
          }
        }
        if (n === iterations) latency[bytes]!.push(((wtime() - t0) / n / 2) * 1e6);
      }
    }
  }
  void sizes;
  const big = new Uint8Array(bwBytes!);
  const ack = new Uint8Array(1);
  const bandwidth: number[] = [];
  const into = Array.from({ length: window! }, () => new Uint8Array(bwBytes!));
  for (let r = 0; r < repeats!; r++) {
    await world.barrier();
    const t0 = wtime();
    for (let i = 0; i < bwIterations!; i++) {
      if (rank === 0) {
        await Promise.all(Array.from({ length: window! }, () => world.isend(big, 1, 1)));
        await world.recvInto(ack, 1, 2);
      } else if (rank === 1) {
        await Promise.all(into.map((b) => world.irecvInto(b, 0, 1)));
        await world.send(ack, 0, 2);
      }
    }
    bandwidth.push((bwIterations! * window! * bwBytes!) / (wtime() - t0) / 1e6);
  }
  return rank === 0 ? { latency, bandwidth } : undefined;
}
