/**
 * A receive buffer each communicator keeps for collective steps whose
 * incoming typed array is merged into the rank's own and then dropped (the
 * partner's half in recursive doubling). Allocating it afresh each call costs
 * more than the reduction: the memory is cold, and on glibc every buffer of
 * 128 KiB or more is a new mmap() to fault in page by page; a buffer that is
 * reused stays in the cache, as Open MPI's and MPICH's own collective buffers
 * do. Several loans may be out at once (one per partner of a one-step
 * exchange, or two collectives running at once); past MAX_SLOTS a receive
 * simply allocates. A slot keeps the views of its last loan, so repeated
 * calls of one shape allocate nothing at all.
 */
import type { Channel } from "./channel.ts";
import { type Lender, typedView } from "../core/payload.ts";

/** One buffer of the pool, with the views of its last loan (reused when the next loan has the same kind and size). */
interface Slot {
  buffer: ArrayBuffer;
  lent: boolean;
  kind: number;
  bytes: number;
  view: { value: unknown; bytes: Uint8Array } | undefined;
}

/**
 * Loans at a time: one per partner of the widest one-step exchange on small
 * communicators; a loan beyond that allocates, as a busy pool does.
 */
const MAX_SLOTS = 16;

export class Scratch {
  private readonly slots: Slot[] = [];

  /** Lend a view for a message of `kind` and `totalBytes` (a free buffer, grown if need be), or undefined when every slot is out on loan. */
  readonly lend: Lender = (kind, totalBytes) => {
    let slot: Slot | undefined;
    for (const s of this.slots) {
      if (!s.lent) {
        slot = s;
        break;
      }
    }
    if (!slot) {
      if (this.slots.length >= MAX_SLOTS) return undefined;
      slot = { buffer: new ArrayBuffer(0), lent: false, kind: -1, bytes: -1, view: undefined };
      this.slots.push(slot);
    }
    if (slot.view === undefined || slot.kind !== kind || slot.bytes !== totalBytes) {
      if (slot.buffer.byteLength < totalBytes) slot.buffer = new ArrayBuffer(totalBytes);
      slot.view = typedView(kind, slot.buffer, totalBytes);
      slot.kind = kind;
      slot.bytes = totalBytes;
    }
    if (slot.view) slot.lent = true;
    return slot.view;
  };

  /** The loan of `value` is over (anything else, such as an allocated value or an error marker, is ignored). */
  release(value: unknown): void {
    for (const s of this.slots) {
      if (s.lent && s.view?.value === value) {
        s.lent = false;
        return;
      }
    }
  }
}

const pools = new WeakMap<Channel, Scratch>();

/** The communicator's scratch buffer. */
export function scratchOf(comm: Channel): Scratch {
  let s = pools.get(comm);
  if (!s) pools.set(comm, (s = new Scratch()));
  return s;
}
