// A blocking receive made while background progress already sleeps (another
// receive is pending) must not leave that sleeper deaf: the message it waits
// for arrives long after the blocking call gave up spinning and blocking.
import type { Comm } from "tsmpi";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function main(world: Comm): Promise<void> {
  const buf = new Uint8Array(4);
  if (world.rank === 0) {
    // Awaited (through then) at once: background progress starts, spins, then sleeps.
    const pending = world.irecv(1, 1).then((m) => m);
    await pause(60);
    await world.recvInto(buf, 1, 2); // spins and blocks ~20 ms, then waits on the sleeper
    await pending;
    console.log(`late arrival: ${buf[0]}`);
    await world.send(buf, 1, 3);
  } else if (world.rank === 1) {
    await pause(150);
    buf[0] = 42;
    await world.send(buf, 0, 2);
    await world.send(buf, 0, 1);
    // Stay in the job until rank 0 answers: a rank that ends wakes its peers, which would hide a deaf one.
    await world.recvInto(buf, 0, 3);
  }
}
