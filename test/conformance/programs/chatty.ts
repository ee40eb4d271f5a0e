// Prints without end (the reader is expected to go away); argv[0] is a marker for the orphan check.
import type { Comm } from "tsmpi";

export default async function main(world: Comm): Promise<void> {
  for (let i = 0; ; i++) {
    console.log(`rank ${world.rank} line ${i}`);
    if (i % 1000 === 0) await world.barrier();
  }
}
