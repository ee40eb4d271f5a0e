// Ways a job stops making progress, chosen by args[0], for the hang-detection
// tests: every case must end non-zero within seconds, naming what each rank
// waits for. Two ranks; rank 0 prints "started" first.
import type { Comm } from "tsmpi";

export default async function main(world: Comm, args: string[]): Promise<void> {
  const me = world.rank;
  const peer = 1 - me;
  // For tests that signal the launcher once the job runs.
  if (me === 0) console.log("started");
  switch (args[0]) {
    case "recv-recv":
      // Both receive first: neither send is ever reached.
      await world.recv(peer, 7);
      await world.send(me, peer, 7);
      break;
    case "skipped-barrier":
      // Rank 1 returns without the barrier rank 0 waits in.
      if (me === 0) await world.barrier();
      break;
    case "skipped-shared-barrier":
      // In one VM the barriers after the first run in shared memory (no frames): rank 1 skips the third.
      await world.barrier();
      await world.barrier();
      if (me === 0) await world.barrier();
      break;
    case "never-settles":
      // Rank 1 awaits a promise nothing will ever settle; rank 0 waits for its message.
      if (me === 1) await new Promise(() => {});
      else await world.recv(1, 3);
      break;
    case "forever":
      // A ping-pong that never ends: frames always move (for --timeout; in the simulator virtual time runs on).
      for (;;) {
        if (me === 0) await world.send(1, peer, 9);
        await world.recv(peer, 9);
        if (me === 1) await world.send(1, peer, 9);
      }
    default:
      throw new Error(`unknown case ${args[0]}`);
  }
}
