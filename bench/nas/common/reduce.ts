/**
 * Sum-allreduce of a few doubles by recursive doubling over raw Float64Array
 * messages (log2(np) pairwise exchanges, NPB CG's own reduction pattern).
 * Each exchange adds the two partial sums; IEEE addition is commutative, so
 * every rank ends with bit-identical totals. Sizes other than a power of two
 * fall back to comm.allreduce.
 */
import { type Comm, Op, waitall } from "tsmpi";
import { isPowerOfTwo } from "./cli.ts";

export class PairwiseSum {
  private readonly comm: Comm;
  private readonly incoming: Float64Array;
  readonly values: Float64Array;
  private readonly tag: number;
  private readonly partners: readonly number[] | undefined;

  /**
   * `width` doubles are reduced together; `tag` must not be used for anything
   * else on `comm`. `partners`, in exchange order, sums over a subgroup
   * instead (CG's process row); by default every rank, partner rank ^ bit.
   */
  constructor(comm: Comm, width: number, tag: number, partners?: readonly number[]) {
    this.comm = comm;
    this.values = new Float64Array(width);
    this.incoming = new Float64Array(width);
    this.tag = tag;
    this.partners = partners;
  }

  /** Sums `values` across ranks in place and returns them. */
  async run(): Promise<Float64Array> {
    const { comm, partners } = this;
    const np = comm.size;
    if (partners) {
      for (const partner of partners) await this.exchange(partner);
      return this.values;
    }
    if (np === 1) return this.values;
    if (!isPowerOfTwo(np)) {
      this.values.set(await comm.allreduce(this.values, Op.SUM));
      return this.values;
    }
    for (let bit = 1; bit < np; bit <<= 1) await this.exchange(comm.rank ^ bit);
    return this.values;
  }

  private async exchange(partner: number): Promise<void> {
    const { comm, values, incoming } = this;
    // One waitall, not an await per request: each await of a request costs a few promise hops (felt most by a 1024-rank simulation).
    await waitall([comm.irecvInto(incoming, partner, this.tag), comm.isend(values, partner, this.tag)]);
    for (let i = 0; i < values.length; i++) values[i] = values[i]! + incoming[i]!;
  }
}
