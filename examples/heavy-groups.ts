// Ranks that talk in heavy groups whose members are scattered over the rank
// numbers (a seeded shuffle), plus one light allreduce over everyone: the
// communication pattern a comm-aware placement should find and block or
// cyclic placement cannot.
//   tsmpi profile -n 64 --engine sim --out comm.json examples/heavy-groups.ts [groups size seed rounds]
// groups 0 means as many groups of `size` as the job holds. Every rank
// returns the timed rounds' time (the slowest rank's, after one untimed warm-up round),
// which tsmpi study reads.
import { type Comm, Op } from "tsmpi";

/** The same shuffle on every rank: logical rank i runs as world rank order[i]. */
function scrambled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0; // Numerical Recipes' LCG: any fixed stream will do
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export default async function main(world: Comm, args: string[]): Promise<{ time: number }> {
  const [given = 8, size = 8, seed = 1, rounds = 2] = args.map(Number);
  const groups = given > 0 ? given : Math.floor(world.size / size);
  if (groups * size !== world.size) throw new Error(`heavy-groups: ${groups} groups of ${size} need -n ${groups * size}, not ${world.size}`);
  const order = scrambled(world.size, seed);
  const me = order.indexOf(world.rank);
  const group = Math.floor(me / size);
  const member = (j: number): number => order[group * size + (((j % size) + size) % size)]!;
  const block = new Float64Array(2048).fill(world.rank); // 16 KiB per exchange
  const exchange = async (round: number): Promise<void> => {
    for (let step = 1; step < size; step++) await world.sendrecv(block, member(me + step), round, member(me - step), round);
  };
  await exchange(rounds); // untimed warm-up: live transports connect each pair on its first frame
  const started = world.wtime();
  for (let r = 0; r < rounds; r++) await exchange(r);
  const total = await world.allreduce(1, Op.SUM);
  const time = await world.allreduce(world.wtime() - started, Op.MAX);
  if (world.rank === 0) console.log(`heavy-groups: ${groups} groups of ${size}, ${rounds} rounds, ${total} ranks agreed`);
  return { time };
}
