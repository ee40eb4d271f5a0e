/**
 * The one seeded random generator benchmarks use: the same mulberry32 that
 * placement strategies use for `--map-by random:seed` (one implementation,
 * src/placement), so a seed means the same numbers everywhere.
 */
import { seededRandom } from "../../src/placement/strategies.ts";

export { seededRandom };

/** `n` pseudo-random bytes from `seed`: the same bytes for the same seed on every machine. */
export function randomBytes(n: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = (random() * 256) | 0;
  return a;
}
