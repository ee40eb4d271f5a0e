// Rank 2 (or the last rank) throws while every other rank waits in a barrier.
import type { Comm } from "tsmpi";

export default async function main(world: Comm, args: string[]): Promise<void> {
  const culprit = Math.min(2, world.size - 1);
  if (world.rank === culprit) {
    await new Promise((r) => setTimeout(r, 200));
    throw new Error(`deliberate failure ${args[0] ?? ""}`);
  }
  await world.barrier();
}
