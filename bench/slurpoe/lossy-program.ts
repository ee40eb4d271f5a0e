/**
 * Exactly-once, in-order, intact delivery under a lossy wire: every rank
 * sends `messages / size` messages round-robin to every other rank, sizes
 * log-uniform in [0, maxBytes], contents a function of (source, dest, seq).
 * Receivers take messages from each source in order with ANY_TAG; the tag
 * must be the next sequence number (a loss would hang or skip, a duplicate
 * would repeat it) and every byte must match. Returns counts from every rank.
 *
 * Args: MESSAGES MAX_BYTES WINDOW
 */
import { ANY_TAG, type Comm, type Request, waitall } from "tsmpi";
import { randomBytes, seededRandom as random } from "../lib/random.ts";

function message(source: number, dest: number, seq: number, maxBytes: number): Uint8Array {
  const r = random(source * 1_000_003 + dest * 7919 + seq * 104729 + 1);
  const n = Math.floor(Math.exp(r() * Math.log(maxBytes + 1))) - 1;
  return randomBytes(n, (r() * 4294967296) >>> 0);
}

export interface LossyResult {
  rank: number;
  sent: number;
  received: number;
  bytes: number;
}

export default async function main(world: Comm, args: string[]): Promise<LossyResult> {
  const total = Number(args[0] ?? 100_000);
  const maxBytes = Number(args[1] ?? 256 * 1024);
  const window = Number(args[2] ?? 16);
  const me = world.rank;
  const peers = Array.from({ length: world.size }, (_, r) => r).filter((r) => r !== me);
  const perRank = Math.floor(total / world.size);
  // How many messages each source sends to `me` (round-robin over its peers).
  const countFrom = (source: number): number => {
    const theirPeers = Array.from({ length: world.size }, (_, r) => r).filter((r) => r !== source);
    const k = theirPeers.indexOf(me);
    return Math.floor(perRank / theirPeers.length) + (k < perRank % theirPeers.length ? 1 : 0);
  };
  let bytes = 0;
  const receiveFrom = async (source: number): Promise<number> => {
    const n = countFrom(source);
    for (let seq = 0; seq < n; seq++) {
      const m = await world.recv<Uint8Array>(source, ANY_TAG);
      if (m.tag !== seq) throw new Error(`rank ${me}: from rank ${source} expected message ${seq}, got tag ${m.tag} (lost, duplicated or reordered)`);
      const want = message(source, me, seq, maxBytes);
      const got = m.data;
      if (got.length !== want.length) throw new Error(`rank ${me}: message ${seq} from ${source} has ${got.length} bytes, sent ${want.length}`);
      for (let i = 0; i < want.length; i++) {
        if (got[i] !== want[i]) throw new Error(`rank ${me}: message ${seq} from ${source} differs at byte ${i}`);
      }
      bytes += want.length;
    }
    return n;
  };
  const send = async (): Promise<number> => {
    const seqTo = new Map<number, number>();
    let pending: Request<unknown>[] = [];
    for (let i = 0; i < perRank; i++) {
      const dest = peers[i % peers.length]!;
      const seq = seqTo.get(dest) ?? 0;
      seqTo.set(dest, seq + 1);
      pending.push(world.isend(message(me, dest, seq, maxBytes), dest, seq));
      if (pending.length >= window) {
        await waitall(pending);
        pending = [];
      }
    }
    await waitall(pending);
    return perRank;
  };
  const [sent, ...received] = await Promise.all([send(), ...peers.map(receiveFrom)]);
  await world.barrier();
  return { rank: me, sent, received: received.reduce((s, n) => s + n, 0), bytes };
}
