// Ring exchanges with pauses, for a given time, checking every payload: a job
// that stays busy while a test pokes at it (strangers, kill -9). Prints
// "started <rank> <pid>" once every rank is up (the pid is its VM's process).
import { strictEqual } from "node:assert/strict";
import { type Comm, Op } from "tsmpi";

export default async function main(world: Comm, args: string[]): Promise<number> {
  const rounds = Number(args[0] ?? 40);
  const pauseMs = Number(args[1] ?? 50);
  const { rank, size } = world;
  await world.barrier();
  console.log(`started ${rank} ${process.pid}`);
  const right = (rank + 1) % size;
  const left = (rank + size - 1) % size;
  for (let i = 0; i < rounds; i++) {
    const out = new Float64Array(20_000).fill(rank * 1e6 + i);
    const m = await world.sendrecv<Float64Array>(out, right, 3, left, 3);
    strictEqual(m.data[19_999], left * 1e6 + i, `round ${i}: wrong payload from rank ${left}`);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  const total = await world.allreduce(rank, Op.SUM);
  strictEqual(total, (size * (size - 1)) / 2);
  return rounds;
}
