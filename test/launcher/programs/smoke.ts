// A small all-pairs exchange over whatever the placement chose: eager and rendezvous sizes, both directions.
import { deepStrictEqual } from "node:assert/strict";
import type { Comm } from "tsmpi";

export default async function main(world: Comm): Promise<string> {
  const { rank, size } = world;
  for (const n of [8, 100_000, 1_000_000]) {
    const sends = [];
    const recvs = [];
    for (let p = 0; p < size; p++) {
      if (p === rank) continue;
      const a = new Int32Array(Math.ceil(n / 4)).fill(rank * 1000 + p);
      sends.push(world.isend(a, p, 7));
      recvs.push(world.irecv<Int32Array>(p, 7));
    }
    const got = await Promise.all(recvs);
    await Promise.all(sends);
    for (const m of got) deepStrictEqual(m.data[m.data.length - 1], m.source * 1000 + rank);
  }
  await world.barrier();
  return `${rank}:${world.placement.transportTo((rank + 1) % size)}`;
}
