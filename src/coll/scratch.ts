/**
 * A receive buffer each communicator keeps for collective steps whose
 * incoming typed array is merged into the rank's own and then dropped (the
 * partner's half in recursive doubling). Allocating it afresh each call costs
 * more than the reduction: the memory is cold, and on glibc every buffer of
 * 128 KiB or more is a new mmap() to fault in page by page; a buffer that is
 * reused stays in the cache, as Open MPI's and MPICH's own collective buffers
 * do. One loan at a time: a second collective running on the same
 * communicator at once (an un-awaited call) simply allocates.
 */
import type { Comm } from "../api/comm.ts";
import { type Lender, typedView } from "../core/payload.ts";

export class Scratch {
  private buffer = new ArrayBuffer(0);
  /** The value now lent out, if any. */
  private lent: unknown;

  /** Lend a view of the buffer for a message of `kind` and `totalBytes` (growing it), or undefined when it is out on loan. */
  readonly lend: Lender = (kind, totalBytes) => {
    if (this.lent !== undefined) return undefined;
    if (this.buffer.byteLength < totalBytes) this.buffer = new ArrayBuffer(totalBytes);
    const view = typedView(kind, this.buffer, totalBytes);
    if (view) this.lent = view.value;
    return view;
  };

  /** The loan of `value` is over (anything else, such as an allocated value or an error marker, is ignored). */
  release(value: unknown): void {
    if (value === this.lent) this.lent = undefined;
  }
}

const pools = new WeakMap<Comm, Scratch>();

/** The communicator's scratch buffer. */
export function scratchOf(comm: Comm): Scratch {
  let s = pools.get(comm);
  if (!s) pools.set(comm, (s = new Scratch()));
  return s;
}
