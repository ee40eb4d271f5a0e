/**
 * The point-to-point runs of `tsmpi model calibrate` and `compare`, the same
 * program live and in the simulator: ranks 0 and 1 ping-pong at each size
 * (half round trip, seconds) and stream windows of messages (seconds per
 * message). Sizes alternate inside every repeat, so a change of load on a
 * shared machine hits every size alike; the caller takes medians.
 *
 * Args: one JSON object, `P2pPlan`. Rank 0 returns `P2pSamples`.
 */
import type { Comm } from "tsmpi";

export interface P2pPlan {
  sizes: number[];
  /** Round trips timed per repeat at 4 KiB and below (fewer above: `iterationsFor`), after up to 50 untimed. */
  iterations: number;
  /** The fewest round trips per repeat at any size (default 4). */
  minIterations?: number;
  repeats: number;
  /** Messages of `bytes` sent `window` at a time, then a 1-byte ack; 0 windows: no stream. */
  stream: { bytes: number; window: number; windows: number };
}

export interface P2pSamples {
  /** Half round trip per size, seconds, one per repeat. */
  halfRoundTrip: Record<number, number[]>;
  /** Seconds per streamed message, one per repeat. */
  streamPerMessage: number[];
}

/** Round trips per repeat at `size`: `base` up to 4 KiB, then fewer in proportion (at least `least`), so each size costs about as much. */
export function iterationsFor(base: number, size: number, least = 4): number {
  return Math.max(least, Math.round((base * 4096) / Math.max(4096, size)));
}

async function pingPong(world: Comm, buf: Uint8Array, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    if (world.rank === 0) {
      await world.send(buf, 1, 0);
      await world.recvInto(buf, 1, 0);
    } else if (world.rank === 1) {
      await world.recvInto(buf, 0, 0);
      await world.send(buf, 0, 0);
    }
  }
}

async function stream(world: Comm, plan: P2pPlan["stream"], into: Uint8Array[], big: Uint8Array): Promise<void> {
  const ack = new Uint8Array(1);
  for (let i = 0; i < plan.windows; i++) {
    if (world.rank === 0) {
      await Promise.all(into.map(() => world.isend(big, 1, 1)));
      await world.recvInto(ack, 1, 2);
    } else if (world.rank === 1) {
      await Promise.all(into.map((b) => world.irecvInto(b, 0, 1)));
      await world.send(ack, 0, 2);
    }
  }
}

export default async function main(world: Comm, args: string[]): Promise<P2pSamples | undefined> {
  const plan = JSON.parse(args[0]!) as P2pPlan;
  const buffers = new Map(plan.sizes.map((s) => [s, new Uint8Array(Math.max(1, s))]));
  const halfRoundTrip: Record<number, number[]> = Object.fromEntries(plan.sizes.map((s) => [s, []]));
  const streamPerMessage: number[] = [];
  const big = new Uint8Array(plan.stream.bytes);
  const into = Array.from({ length: plan.stream.windows > 0 ? plan.stream.window : 0 }, () => new Uint8Array(plan.stream.bytes));
  // One untimed pass over every size first: the first size measured would otherwise pay the JIT's warm-up.
  for (const size of plan.sizes) await pingPong(world, buffers.get(size)!, Math.min(50, iterationsFor(plan.iterations, size, plan.minIterations)));
  for (let r = 0; r < plan.repeats; r++) {
    for (const size of plan.sizes) {
      const buf = buffers.get(size)!;
      const n = iterationsFor(plan.iterations, size, plan.minIterations);
      await world.barrier();
      await pingPong(world, buf, Math.min(50, n));
      const t0 = world.wtime();
      await pingPong(world, buf, n);
      halfRoundTrip[size]!.push((world.wtime() - t0) / (2 * n));
    }
    if (plan.stream.windows > 0) {
      await world.barrier();
      const t0 = world.wtime();
      await stream(world, plan.stream, into, big);
      streamPerMessage.push((world.wtime() - t0) / (plan.stream.windows * plan.stream.window));
    }
  }
  return world.rank === 0 ? { halfRoundTrip, streamPerMessage } : undefined;
}
