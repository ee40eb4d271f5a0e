/**
 * The collective row of `tsmpi model compare`: an allreduce (sum) of `count`
 * doubles on every rank, timed on rank 0 in repeats of `iterations` after a
 * few untimed ones. The same program live and in the simulator.
 *
 * Args: one JSON object, `AllreducePlan`. Rank 0 returns seconds per allreduce, one per repeat.
 */
import { type Comm, Op } from "tsmpi";

export interface AllreducePlan {
  count: number;
  iterations: number;
  repeats: number;
}

export default async function main(world: Comm, args: string[]): Promise<number[] | undefined> {
  const plan = JSON.parse(args[0]!) as AllreducePlan;
  const buf = new Float64Array(plan.count);
  const seconds: number[] = [];
  for (let r = 0; r < plan.repeats; r++) {
    await world.barrier();
    for (let i = 0; i < Math.min(20, plan.iterations); i++) await world.allreduceInto(buf.fill(1), Op.SUM);
    const t0 = world.wtime();
    for (let i = 0; i < plan.iterations; i++) await world.allreduceInto(buf.fill(1), Op.SUM);
    seconds.push((world.wtime() - t0) / plan.iterations);
  }
  return world.rank === 0 ? seconds : undefined;
}
