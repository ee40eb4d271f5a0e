// A fixed amount of checked traffic across every pair of neighbours: each
// round a ring exchange of a small (eager) and a large (rendezvous) array,
// every element checked, then an allreduce. Time is spent moving data, so a
// test can compare how long it takes with and without interference. Prints
// "started <rank>" once every rank is up.
import { strictEqual } from "node:assert/strict";
import { type Comm, Op } from "tsmpi";

export default async function main(world: Comm, args: string[]): Promise<number> {
  const rounds = Number(args[0] ?? 100);
  const { rank, size } = world;
  const right = (rank + 1) % size;
  const left = (rank + size - 1) % size;
  let sum = 0;
  await world.barrier();
  console.log(`started ${rank}`);
  for (let i = 0; i < rounds; i++) {
    const small = await world.sendrecv<Float64Array>(new Float64Array(8).fill(rank + i), right, 1, left, 1);
    const large = await world.sendrecv<Float64Array>(new Float64Array(16_384).fill(rank * 1000 + i), right, 2, left, 2);
    strictEqual(small.data[7], left + i, `round ${i}: wrong small payload from rank ${left}`);
    strictEqual(large.data[0], left * 1000 + i, `round ${i}: wrong large payload from rank ${left}`);
    strictEqual(large.data[16_383], left * 1000 + i, `round ${i}: wrong large payload from rank ${left}`);
    sum += await world.allreduce(1, Op.SUM);
  }
  strictEqual(sum, rounds * size);
  return rounds;
}
