/**
 * The simulator's frame-rate workload (issue 12, "Scale and speed"): every
 * rank exchanges `--bytes` (default 8) with every other rank, `--iters`
 * times (default 4), through alltoallInto (linear: every send and receive
 * posted at once). At 256 ranks one iteration is 65,280 message frames plus
 * the credit returns.
 *
 *   node bin/tsmpi.js run -n 256 --engine sim --compute none --stats bench/sim/alltoall-loop.ts --iters 4
 */
import type { Comm } from "tsmpi";

export interface LoopOptions {
  iters: number;
  bytes: number;
}

export function parseLoop(args: readonly string[]): LoopOptions {
  const read = (flag: string, fallback: number): number => {
    const i = args.indexOf(flag);
    const v = i >= 0 ? Number(args[i + 1]) : fallback;
    if (!Number.isInteger(v) || v < 1) throw new Error(`alltoall-loop: ${flag} needs a positive integer, got ${args[i + 1]}`);
    return v;
  };
  return { iters: read("--iters", 4), bytes: read("--bytes", 8) };
}

export async function alltoallLoop(world: Comm, { iters, bytes }: LoopOptions): Promise<number> {
  const np = world.size;
  const send = new Uint8Array(np * bytes);
  const recv = new Uint8Array(np * bytes);
  const counts = new Array<number>(np).fill(bytes);
  for (let i = 0; i < send.length; i++) send[i] = (world.rank + i) & 0xff;
  for (let it = 0; it < iters; it++) await world.alltoallInto(send, counts, recv, counts);
  // Block j came from rank j: its first byte is (j + rank·bytes) mod 256.
  for (let j = 0; j < np; j++) {
    const want = (j + world.rank * bytes) & 0xff;
    if (recv[j * bytes] !== want) throw new Error(`alltoall-loop: rank ${world.rank} got ${recv[j * bytes]} from rank ${j}, expected ${want}`);
  }
  return iters;
}

export default async function main(world: Comm, args: string[]): Promise<number> {
  return alltoallLoop(world, parseLoop(args));
}
