// Eight ranks: a ring exchange, an allreduce and a few point-to-point messages.
import { type Comm, Op } from "tsmpi";

export default async function main(world: Comm): Promise<void> {
  const next = (world.rank + 1) % world.size;
  const prev = (world.rank + world.size - 1) % world.size;
  for (let i = 0; i < 3; i++) await world.sendrecv(new Float64Array(16).fill(world.rank), next, i, prev, i);
  await world.allreduce(world.rank, Op.SUM);
  if (world.rank % 2 === 0) await world.send(new Uint8Array(100000), world.rank + 1, 99);
  else await world.recv(world.rank - 1, 99);
}
