/**
 * How much slower a rank computes when the job's ranks share this machine's
 * cores (`tsmpi model calibrate`): every rank runs the same arithmetic loop at
 * once, between barriers, and returns its wall and CPU seconds per loop. Run
 * at np 1 (its CPU time: the loop's own cost, whatever else runs here) and at
 * np N (its wall time), the ratio says how many cores the N ranks really had.
 *
 * Args: one JSON object, `ComputePlan`.
 */
import type { Comm } from "tsmpi";

export interface ComputePlan {
  /** Passes over a 128 Ki-double array per loop (about 0.2 ms each on a 2020s core). */
  passes: number;
  repeats: number;
}

export interface ComputeSeconds {
  wall: number[];
  /** This process's CPU time per loop (with one rank in it: that rank's). */
  cpu: number[];
}

export default async function main(world: Comm, args: string[]): Promise<ComputeSeconds> {
  const plan = JSON.parse(args[0]!) as ComputePlan;
  const x = new Float64Array(1 << 17).map((_, i) => i % 7);
  const y = new Float64Array(x.length);
  const wall: number[] = [];
  const cpu: number[] = [];
  // One untimed loop first: the JIT compiles it before the timed ones.
  for (let r = -1; r < plan.repeats; r++) {
    await world.barrier();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let p = 0; p < plan.passes; p++) for (let i = 0; i < x.length; i++) y[i] = y[i]! * 0.5 + x[i]! * 1.0001;
    const c = process.cpuUsage(c0);
    if (r >= 0) {
      wall.push((performance.now() - t0) / 1000);
      cpu.push((c.user + c.system) / 1e6);
    }
  }
  // Keep the result observable, so the loop is not optimised away.
  if (y[7] === -1) console.log("impossible");
  return { wall, cpu };
}
