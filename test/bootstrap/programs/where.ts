// Every rank reports where the placement put it and which transport joins it to each peer.
import { type Comm, Op } from "tsmpi";

export default async function main(world: Comm): Promise<void> {
  const { host, vm } = world.placement.of(world.rank);
  const to = Array.from({ length: world.size }, (_, p) => (p === world.rank ? "-" : world.placement.transportTo(p)));
  const sum = await world.allreduce(world.rank + 1, Op.SUM);
  console.log(JSON.stringify({ rank: world.rank, size: world.size, host, vm, pid: process.pid, to, sum }));
}
