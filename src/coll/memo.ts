/**
 * What src/coll remembers about a communicator, kept on the channel itself
 * (Channel.collMemo): a small collective asks for it on every call, and one
 * field load costs less than a WeakMap lookup per question.
 */
import type { Channel } from "./channel.ts";

export class CollMemo {
  /** select.ts: the job setting forcing each collective, by collective index (null: none; undefined: not read yet). */
  readonly forced: (string | null | undefined)[] = [];
  /** select.ts: the rules' picks, by collective index, then by size and flags. */
  readonly rules: (Map<number, string> | undefined)[] = [];
  /** shared/bank.ts: the communicator's bank, or where its agreement stands (typed there). */
  bank: unknown = undefined;
}

export function memoOf(comm: Channel): CollMemo {
  let m = comm.collMemo as CollMemo | undefined;
  if (m === undefined) comm.collMemo = m = new CollMemo();
  return m;
}
