// Rank 0 leaves a rejected promise unhandled; the others wait in a receive.
import type { Comm } from "tsmpi";

export default async function main(world: Comm): Promise<void> {
  if (world.rank === 0) {
    void Promise.reject(new Error("nobody handles this"));
    await new Promise((r) => setTimeout(r, 60_000));
  }
  await world.recv(0, 1);
}
