/** Allgather of arbitrary values: recursive doubling, Bruck and ring. */
import type { Channel } from "./channel.ts";
import { exchange, exchangeWithAll } from "./exchange.ts";

/** Power-of-two sizes only (callers fall back to Bruck): log2 n rounds, doubling blocks. */
export async function recursiveDoubling<T>(comm: Channel, value: T, tag: number): Promise<T[]> {
  const n = comm.size;
  const rank = comm.rank;
  const out = new Array<T>(n);
  out[rank] = value;
  for (let mask = 1; mask < n; mask <<= 1) {
    const partner = rank ^ mask;
    const mine = rank & ~(mask - 1);
    const theirs = partner & ~(mask - 1);
    const got = await exchange<T[]>(comm, out.slice(mine, mine + mask), partner, partner, tag);
    for (let i = 0; i < mask; i++) out[theirs + i] = got[i]!;
  }
  return out;
}

/** Bruck (1997): ceil(log2 n) rounds for any n; blocks travel rotated, then are put in rank order. */
export async function bruck<T>(comm: Channel, value: T, tag: number): Promise<T[]> {
  const n = comm.size;
  const rank = comm.rank;
  const buf: T[] = [value];
  for (let pof = 1; pof < n; pof <<= 1) {
    const count = Math.min(pof, n - pof);
    const got = await exchange<T[]>(comm, buf.slice(0, count), (rank - pof + n) % n, (rank + pof) % n, tag);
    for (const v of got) buf.push(v);
  }
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[(rank + i) % n] = buf[i]!;
  return out;
}

/** Ring: n-1 steps of one value each; values travel unwrapped (typed arrays as raw bytes). */
export async function ring<T>(comm: Channel, value: T, tag: number): Promise<T[]> {
  const n = comm.size;
  const rank = comm.rank;
  const out = new Array<T>(n);
  out[rank] = value;
  for (let s = 0; s < n - 1; s++) {
    out[(rank - s - 1 + n) % n] = await exchange<T>(comm, out[(rank - s + n) % n], (rank + 1) % n, (rank - 1 + n) % n, tag);
  }
  return out;
}

/** Everyone sends its value to everyone: one step (few ranks, more ranks than cores). */
export async function linear<T>(comm: Channel, value: T, tag: number): Promise<T[]> {
  return exchangeWithAll(comm, value, () => value, tag);
}
