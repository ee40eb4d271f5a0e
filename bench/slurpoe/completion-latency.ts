/**
 * Interrupt vs polling on the completion path alone: a NIC thread writes a
 * completion every few hundred µs; the host thread finds it by polling its
 * completion queue (a spinning core) or by arming the queue and sleeping
 * until the interrupt (futex wake-up, then the profile's interrupt delivery
 * cost). Reports the latency from completion to the host noticing it, and how
 * busy the host thread was. Two threads only, so unlike the end-to-end
 * ping-pong it is not distorted by more busy threads than cores.
 *
 *   npx tsx bench/slurpoe/completion-latency.ts [--count N]
 */
import { pathToFileURL } from "node:url";
import { numberOption, scriptCli } from "../lib/cli.ts";
import { Worker } from "node:worker_threads";
import { spinMicroseconds } from "../../transports/slurpoe/costs.ts";
import { createNic } from "../../transports/slurpoe/nic.ts";
import { interruptUs } from "../../transports/slurpoe/profiles.ts";
import { HostQueues } from "../../transports/slurpoe/verbs.ts";

export interface CompletionLatency {
  mode: string;
  medianUs: number;
  p90Us: number;
  /** Fraction of the run the host thread's event loop was busy. */
  hostBusy: number;
}

export async function measureCompletionLatency(mode: "poll" | "interrupt", count: number, settings: Record<string, string> = {}): Promise<CompletionLatency> {
  const setup = createNic([0], 2, { "nic.mode": mode, "nic.coalesceUs": "0", ...settings });
  const host = new HostQueues(setup.shared, 0);
  const stamps = new SharedArrayBuffer(count * 8);
  const stamp = new Float64Array(stamps);
  const turnBuffer = new SharedArrayBuffer(4);
  const turn = new Int32Array(turnBuffer);
  const cost = interruptUs(setup.shared.profile);
  const worker = new Worker(new URL("../../transports/slurpoe/nic-entry.js", import.meta.url), {
    workerData: { shared: setup.shared, stamps, turn: turnBuffer, count, entry: new URL("./completion-nic.ts", import.meta.url).href },
  });
  let failed: unknown;
  worker.on("error", (e) => {
    failed = e;
  });
  // Wait until the NIC thread is up (its engine loaded) before timing anything.
  await new Promise<void>((resolve, reject) => {
    worker.once("online", () => resolve());
    worker.once("error", reject);
  });
  const latencies: number[] = [];
  const elu0 = performance.eventLoopUtilization();
  // A pending Atomics.waitAsync does not keep Node alive; this timer does while we measure.
  const alive = setInterval(() => {}, 1000);
  for (let i = 0; i < count; i++) {
    Atomics.store(turn, 0, i + 1);
    Atomics.notify(turn, 0);
    if (mode === "poll") {
      while (!host.hasCompletions()) {
        // Polling: the host core does nothing else.
        if (failed) throw failed;
      }
    } else {
      const seq = host.arm();
      if (!host.hasCompletions()) {
        const r = host.waitInterrupt(seq);
        if (r.async) await r.value;
        spinMicroseconds(cost);
      } else host.disarm();
    }
    const seen = performance.timeOrigin + performance.now();
    host.poll(() => {});
    latencies.push((seen - stamp[i]!) * 1000);
    // Let the event loop turn between completions in both modes (ELU then compares like with like).
    await new Promise((r) => setImmediate(r));
  }
  const elu = performance.eventLoopUtilization(elu0);
  clearInterval(alive);
  await worker.terminate();
  latencies.sort((a, b) => a - b);
  return { mode, medianUs: latencies[latencies.length >> 1]!, p90Us: latencies[Math.floor(latencies.length * 0.9)]!, hostBusy: elu.utilization };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const usage = "npx tsx bench/slurpoe/completion-latency.ts [--count 2000]";
  const { values } = scriptCli(usage, { count: { type: "string" } });
  const count = Math.round(numberOption(values.count, "count", usage) ?? 2000);
  for (const mode of ["poll", "interrupt"] as const) console.log(await measureCompletionLatency(mode, count));
}
