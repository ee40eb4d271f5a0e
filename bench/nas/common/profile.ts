/**
 * CPU profiles of a kernel from inside each rank. `node --cpu-prof` cannot
 * reach the ranks (they are worker threads of a VM process the launcher
 * spawns, and Node refuses --cpu-prof in NODE_OPTIONS), so with
 * NAS_CPU_PROF=DIR set each rank profiles itself through the inspector and
 * writes DIR/<kernel>.np<N>.r<rank>.cpuprofile, which Chrome DevTools or
 * speedscope open as a flame graph.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import type { Comm } from "tsmpi";

export async function profiled<T>(world: Comm, kernel: string, run: () => Promise<T>): Promise<T> {
  const dir = process.env.NAS_CPU_PROF;
  if (!dir) return run();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  // 100 µs sampling: fine enough to see the inner loops of a 1 s run.
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  try {
    return await run();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${kernel}.np${world.size}.r${world.rank}.cpuprofile`), JSON.stringify(profile));
  }
}
