/**
 * Sum-allreduce of a few doubles by recursive doubling over raw Float64Array
 * messages (log2(np) pairwise exchanges, NPB CG's own reduction pattern).
 * Each exchange adds the two partial sums; IEEE addition is commutative, so
 * every rank ends with bit-identical totals. Sizes other than a power of two
 * fall back to comm.allreduce.
 */
import { type Comm, Op } from "tsmpi";
import { isPowerOfTwo } from "./cli.ts";

export class PairwiseSum {
  private readonly comm: Comm;
  private readonly incoming: Float64Array;
  readonly values: Float64Array;
  private readonly tag: number;

  /** `width` doubles are reduced together; `tag` must not be used for anything else on `comm`. */
  constructor(comm: Comm, width: number, tag: number) {
    this.comm = comm;
    this.values = new Float64Array(width);
    this.incoming = new Float64Array(width);
    this.tag = tag;
  }

  /** Sums `values` across ranks in place and returns them. */
  async run(): Promise<Float64Array> {
    const { comm, values, incoming } = this;
    const np = comm.size;
    if (np === 1) return values;
    if (!isPowerOfTwo(np)) {
      values.set(await comm.allreduce(values, Op.SUM));
      return values;
    }
    for (let bit = 1; bit < np; bit <<= 1) {
      const partner = comm.rank ^ bit;
      const recv = comm.irecvInto(incoming, partner, this.tag);
      const send = comm.isend(values, partner, this.tag);
      await recv;
      await send;
      for (let i = 0; i < values.length; i++) values[i] = values[i]! + incoming[i]!;
    }
    return values;
  }
}
