// Known traffic for the profile tests: each rank sends 3 messages of 100
// bytes to the next rank ("p2p"), and with "coll" also joins one allreduce.
import { type Comm, Op } from "../../../src/index.ts";

export default async function main(world: Comm, args: string[]): Promise<void> {
  const next = (world.rank + 1) % world.size;
  const prev = (world.rank - 1 + world.size) % world.size;
  for (let i = 0; i < 3; i++) await world.sendrecv(new Uint8Array(100), next, i, prev, i);
  if (args[0] === "coll") await world.allreduce(new Float64Array(1000), Op.SUM);
}
