// Pass a token around the ring; every rank adds its rank number.
import type { Comm } from "tsmpi";

export default async function main(world: Comm): Promise<void> {
  const next = (world.rank + 1) % world.size;
  const prev = (world.rank - 1 + world.size) % world.size;
  if (world.rank === 0) {
    await world.send({ hops: 0, sum: 0 }, next);
    const { data } = await world.recv<{ hops: number; sum: number }>(prev);
    console.log(`token came back after ${data.hops + 1} hops, sum ${data.sum}`);
  } else {
    const { data } = await world.recv<{ hops: number; sum: number }>(prev);
    await world.send({ hops: data.hops + 1, sum: data.sum + world.rank }, next);
  }
}
