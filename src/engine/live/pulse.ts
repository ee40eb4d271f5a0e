/**
 * A rank thread's pulse for the launcher's hang detection
 * (src/launcher/hang-watch.ts): twice a second, what its core has handled and
 * what it waits for. The timer is unref'd (it never keeps the thread alive)
 * and runs only when the event loop is free, which is the point: a rank that
 * computes stops pulsing and is taken as working.
 */
import { performance } from "node:perf_hooks";
import type { RankCore } from "../../core/rank-core.ts";
import type { Pulse } from "../../control/protocol.ts";

export const PULSE_MS = 500;

export function startPulse(core: RankCore, send: (p: Pulse) => void): () => void {
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const elu = performance.eventLoopUtilization(last);
    last = performance.eventLoopUtilization();
    const pending = core.blockedCount;
    // Outside MPI, the loop almost never busy, and no timer of the program's that could wake it (ours is unref'd).
    const idle = pending <= 0 && elu.utilization < 0.2 && !process.getActiveResourcesInfo().includes("Timeout");
    send({ activity: core.activity, pending, waits: pending > 0 ? core.describePending() : "", idle });
  }, PULSE_MS);
  timer.unref();
  return () => clearInterval(timer);
}
