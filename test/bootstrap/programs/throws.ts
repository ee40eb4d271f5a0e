// Every rank says which process holds it; then rank 2 throws while the others
// wait for a message that never comes.
import type { Comm } from "tsmpi";

export default async function main(world: Comm): Promise<void> {
  console.log(JSON.stringify({ rank: world.rank, pid: process.pid }));
  await world.barrier();
  if (world.rank === 2) throw new Error("rank 2 gives up on purpose");
  await world.recv(2, 5);
}
