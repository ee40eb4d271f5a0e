// Rank 0 streams `count` checksummed messages to the last rank (args[0],
// default 100000), in windows of non-blocking sends; the last rank checks
// each arrives once, in order, intact, and that nothing follows the end mark.
import { type Comm, waitall } from "tsmpi";

const DATA = 1;
const END = 2;
const WINDOW = 1000;

function body(seq: number): Int32Array {
  const a = new Int32Array(8);
  a[0] = seq;
  for (let i = 1; i < 7; i++) a[i] = Math.imul(seq + i, 2654435761);
  a[7] = a.slice(0, 7).reduce((x, y) => x ^ y, 0x5eed);
  return a;
}

export default async function main(world: Comm, args: string[]): Promise<void> {
  const count = Number(args[0] ?? 100000);
  const last = world.size - 1;
  if (world.rank === 0) {
    for (let at = 0; at < count; at += WINDOW) {
      const reqs = [];
      for (let seq = at; seq < Math.min(count, at + WINDOW); seq++) reqs.push(world.isend(body(seq), last, DATA));
      await waitall(reqs);
    }
    await world.send("end", last, END);
  } else if (world.rank === last) {
    let received = 0;
    let intact = 0;
    let inOrder = 0;
    for (let seq = 0; seq < count; seq++) {
      const { data: a } = await world.recv<Int32Array>(0, DATA);
      received++;
      if (a[0] === seq) inOrder++;
      if (a[7] === a.slice(0, 7).reduce((x, y) => x ^ y, 0x5eed)) intact++;
    }
    await world.recv(0, END);
    const extra = world.iprobe(0, DATA) ? 1 : 0;
    console.log(JSON.stringify({ received, inOrder, intact, extra, from: world.placement.of(0).host, to: world.placement.of(last).host }));
  }
  await world.barrier();
}
