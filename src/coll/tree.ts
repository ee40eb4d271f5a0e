/**
 * Binomial trees over ranks relative to a root (rel = (rank - root) mod n).
 * Node `rel` hangs under `rel` minus its lowest set bit, and its subtree holds
 * ranks rel … rel + lowbit(rel) - 1 (clipped to n); the root's holds all.
 * Children are listed largest subtree first, so the deepest branch starts first.
 */

/** Relative rank of `rank` when `root` is 0. */
export function relative(rank: number, root: number, n: number): number {
  return (rank - root + n) % n;
}

/** Absolute rank of relative rank `rel`. */
export function absolute(rel: number, root: number, n: number): number {
  return (rel + root) % n;
}

/** Parent of `rel` (-1 for the root). */
export function parentOf(rel: number): number {
  return rel === 0 ? -1 : rel & (rel - 1);
}

/** Number of ranks in the subtree of `rel`. */
export function subtreeSize(rel: number, n: number): number {
  if (rel === 0) return n;
  return Math.min(rel & -rel, n - rel);
}

/** Children of `rel`, largest subtree first. */
export function childrenOf(rel: number, n: number): number[] {
  let mask = 1;
  if (rel === 0) {
    while (mask < n) mask <<= 1;
  } else {
    mask = rel & -rel;
  }
  const out: number[] = [];
  for (mask >>= 1; mask > 0; mask >>= 1) if (rel + mask < n) out.push(rel + mask);
  return out;
}

/** Largest power of two not above n. */
export function powerOfTwoBelow(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/**
 * The fold that lets recursive doubling and halving run on any n: of the
 * first 2·rem ranks (rem = n - p, p the largest power of two ≤ n) each even
 * one hands its value to the odd one above and sits out. A rank's place
 * among the p that go on, or -1 for one that sits out.
 */
export function foldedRank(rank: number, rem: number): number {
  if (rank >= 2 * rem) return rank - rem;
  return rank % 2 === 0 ? -1 : rank >> 1;
}

/** The rank at `place` among the p that go on after the fold. */
export function unfoldedRank(place: number, rem: number): number {
  return place < rem ? place * 2 + 1 : place + rem;
}
