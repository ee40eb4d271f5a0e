// Both ranks receive before they send: a deadlock the simulator must report at once.
import type { Comm } from "tsmpi";

export default async function main(world: Comm): Promise<void> {
  const peer = 1 - world.rank;
  await world.recv(peer, 7);
  await world.send("never", peer, 7);
}
