// Rank 1 calls abort(3) while the others wait for a message that never comes.
import type { Comm } from "tsmpi";

export default async function main(world: Comm): Promise<void> {
  if (world.rank === 1) world.abort(3);
  await world.recv(1, 5);
}
