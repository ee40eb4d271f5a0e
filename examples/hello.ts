import { type Comm, Op } from "tsmpi";

export default async function main(world: Comm): Promise<void> {
  const { host, vm } = world.placement.of(world.rank);
  console.log(`hello from rank ${world.rank} of ${world.size} (${vm} on ${host})`);
  const sum = await world.allreduce(world.rank, Op.SUM);
  if (world.rank === 0) console.log(`ranks: ${world.size}, sum of ranks: ${sum}`);
}
