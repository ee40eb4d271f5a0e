// The last rank kills its own VM process outright, as a crash would.
import type { Comm } from "tsmpi";

export default async function main(world: Comm): Promise<void> {
  if (world.rank === world.size - 1) {
    await new Promise((r) => setTimeout(r, 200));
    process.kill(process.pid, "SIGKILL");
  }
  await world.barrier();
}
