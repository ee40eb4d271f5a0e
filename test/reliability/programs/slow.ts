// A slow job that never hangs, for the hang-detection tests: args[0] "trickle"
// sends one message a second (frames move, slowly); "compute" has rank 1 busy
// for args[1] seconds (no frame moves, but its thread is working) while rank 0
// waits in recv. Two ranks; returns the number of messages each received.
// "trickle" prints "started" first (for tests that stop the job).
import type { Comm } from "tsmpi";

export default async function main(world: Comm, args: string[]): Promise<number> {
  const me = world.rank;
  const seconds = Number(args[1] ?? 6);
  if (args[0] === "compute") {
    if (me === 1) {
      const until = Date.now() + seconds * 1000;
      let x = 0;
      while (Date.now() < until) x += Math.sqrt(x + 1);
      await world.send(x > 0 ? 1 : 0, 0, 1);
      return 0;
    }
    await world.recv(1, 1);
    return 1;
  }
  let got = 0;
  if (me === 0) console.log("started");
  for (let i = 0; i < seconds; i++) {
    if (me === 0) await world.send(i, 1, 2);
    else {
      await world.recv(0, 2);
      got++;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return got;
}
