/**
 * What the SLURPoE sweeps run (rank 0 and rank 1, in different VMs; other
 * ranks idle). Returns its measurements from rank 0 as main's value.
 *
 * Args: `latency ITER BYTES` — ping-pong, half round trip in µs (median of 9
 * rounds), plus the rank thread's event-loop utilization (a busy-polling host
 * core shows as ≈1) and the process CPU time per round trip;
 * `rate ITER BYTES WINDOW` — rank 0 streams ITER messages (WINDOW in flight),
 * rank 1 receives; messages per second (median of 9 rounds).
 */
import { performance } from "node:perf_hooks";
import { type Comm, waitall } from "tsmpi";
import { pingPong } from "../p2p/measure.ts";

/** Rounds per measurement: the median and the best round are reported (a shared machine only slows rounds down). */
const ROUNDS = 9;

export interface ProbeResult {
  kind: string;
  bytes: number;
  /** Latency: µs half round trip; rate: messages per second. */
  median: number;
  samples: number[];
  /** Fraction of wall time the rank thread's event loop was busy (latency runs). */
  hostBusy: number;
  /** Process CPU µs (all threads of rank 0's VM, NIC included) per round trip. */
  cpuUsPerRoundTrip: number;
}

export default async function main(world: Comm, args: string[]): Promise<ProbeResult | undefined> {
  const kind = args[0] ?? "latency";
  const iterations = Number(args[1] ?? 1000);
  const bytes = Number(args[2] ?? 8);
  const window = Number(args[3] ?? 64);
  const buf = new Uint8Array(bytes);
  const samples: number[] = [];
  let busy = 0;
  let cpu = 0;
  // Warm up the path (registrations, QPs, JIT).
  await pingPong(world, buf, 50);
  for (let round = 0; round < ROUNDS; round++) {
    await world.barrier();
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    if (kind === "latency") {
      await pingPong(world, buf, iterations);
      samples.push(((performance.now() - t0) / iterations / 2) * 1000);
    } else {
      for (let i = 0; i < iterations; i += window) {
        const n = Math.min(window, iterations - i);
        if (world.rank === 0) await waitall(Array.from({ length: n }, () => world.isend(buf, 1, 5)));
        else if (world.rank === 1) await waitall(Array.from({ length: n }, () => world.irecvInto(new Uint8Array(bytes), 0, 5)));
      }
      if (world.rank === 0) await world.recv(1, 6);
      else if (world.rank === 1) await world.send(0, 0, 6);
      samples.push(iterations / ((performance.now() - t0) / 1000));
    }
    const elu = performance.eventLoopUtilization(elu0);
    const c = process.cpuUsage(cpu0);
    busy += elu.utilization / ROUNDS;
    cpu += (c.user + c.system) / (kind === "latency" ? iterations : iterations / 2) / ROUNDS;
  }
  await world.barrier();
  if (world.rank !== 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return { kind, bytes, median: sorted[ROUNDS >> 1]!, samples, hostBusy: busy, cpuUsPerRoundTrip: cpu };
}
