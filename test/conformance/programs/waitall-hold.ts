// waitall over receives satisfied only later: rank 0 waits on ten receives
// that rank 1 sends after a pause, and prints what arrived (and, for people
// reading the output, how long the synchronous part of waitall took).
import { type Comm, waitall } from "tsmpi";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function main(world: Comm): Promise<void> {
  if (world.rank === 0) {
    const reqs = Array.from({ length: 10 }, (_, i) => world.irecv<number>(1, i));
    const t0 = performance.now();
    const all = waitall(reqs);
    const held = performance.now() - t0;
    await world.send(0, 1, 99); // now rank 1 may send
    const got = await all;
    console.log(`held ${held.toFixed(1)} ms; got ${got.map((m) => m.data).join(",")}`);
  } else if (world.rank === 1) {
    await world.recv(0, 99);
    await pause(20);
    for (let i = 0; i < 10; i++) await world.send(i, 0, i);
  }
}
