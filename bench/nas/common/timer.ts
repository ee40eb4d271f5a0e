/**
 * The timed region's wall time (wtime, what NPB reports) and its CPU time.
 * CPU time is the whole process's (every rank of this VM, in user and
 * system mode): with one rank it is that rank's own compute, which other busy
 * processes on a shared machine do not inflate the way they inflate wall
 * time. The kernels print it as a detail line, for comparing versions of a
 * kernel on a loaded machine; the Mop/s stay NPB's (wall time).
 */
import { wtime } from "tsmpi";

export interface Elapsed {
  wall: number;
  cpu: number;
}

export function startTimer(): () => Elapsed {
  const wall0 = wtime();
  const cpu0 = process.cpuUsage();
  return () => {
    const wall = wtime() - wall0;
    const c = process.cpuUsage(cpu0);
    return { wall, cpu: (c.user + c.system) / 1e6 };
  };
}

/** The detail line: CPU seconds of the timed region and the Mop/s they would give. */
export function cpuLine(e: Elapsed, mops: number, time: number): string {
  return `CPU seconds (process) = ${e.cpu.toFixed(4)}   Mop/s by CPU time = ${((mops * time) / e.cpu).toFixed(2)}`;
}
