/**
 * The communicator: the object a program talks to. Point-to-point lives in
 * its base class (point-to-point.ts); here are the collectives (algorithms
 * and their selection in src/coll, reached through the Channel interface this
 * class implements), communicator creation (dup, split, cart, the node and
 * leader sub-communicators) and abort.
 */
import { hierarchy } from "../coll/hierarchical.ts";
import * as coll from "../coll/index.ts";
import { agreeOnCall, type CallFacts, checking, describeCall, describeTag, SEQUENCE_BITS, SEQUENCE_MASK } from "../coll/check.ts";
import { CallGuard, clashError, NOTICE_TAG, noticeError } from "../coll/guard.ts";
import type { Channel } from "../coll/channel.ts";
import type { CollectiveOptions } from "../coll/select.ts";
import type { Op } from "../coll/op.ts";
import { brokenCall, type UnexpectedMessage } from "../core/matching.ts";
import type { Lender } from "../core/payload.ts";
import type { RankCore } from "../core/rank-core.ts";
import { Request, SENT_REQUEST, waitRecords } from "../core/request.ts";
import { type ReceiveRequest, SENT, type SendRequest } from "../core/requests.ts";
import { PROC_NULL, UNDEFINED } from "../constants.ts";
import { type MpiError, mpiError } from "../errors.ts";
import { argumentError, rootChecked } from "./arguments.ts";
import { agree } from "./communicators.ts";
import { checkGrid, coordsOf, rankAt } from "./grid.ts";
import { finishBytes, finishData, finishVoid } from "./messages.ts";
import { type CommServices, PointToPoint } from "./point-to-point.ts";

export type { CommServices, Placement } from "./point-to-point.ts";

export class Comm extends PointToPoint implements Channel {
  /** Counts collective calls; every member calls them in the same order, so the count is a shared tag. */
  private collectiveCalls = 0;
  /** The last of this communicator's call checks (coll.check=full): checks run, and their calls start, in program order. */
  private lastCheck: Promise<void> | undefined;
  /** Whether collectives are checked (coll.check=full): read once, as every collective call asks. */
  protected readonly checks = checking(this);
  /** @internal src/coll's memory of this communicator (Channel.collMemo). */
  collMemo: unknown = undefined;

  // ---- internal (collective-context) messaging, used by src/coll ------------------

  /** @internal Job settings (the collectives read their algorithm choices here). */
  get settings(): Readonly<Record<string, string>> {
    return this.services.settings;
  }

  /** @internal Memory shared with this VM's ranks (shared-memory collectives), if the transport offers it. */
  get segment() {
    return this.core.segment;
  }

  /** The collective of each recent call number, for reports of what a rank waits for. */
  private readonly callNames: string[] = [];
  /** Recent calls' tags and early messages' tags: finds mismatched collectives at once (src/coll/guard.ts). */
  private readonly guard = new CallGuard();
  /** The communicator whose collectives this one runs stages of (hierarchical node and leader stages), if any. */
  private readonly stageOf: Comm | undefined;
  /** Communicators running stages of this one's collectives: broken with it. */
  private readonly stages: Comm[] = [];

  /** @internal Use `dup`, `split` or `cart`; the engine makes the world communicator. */
  constructor(core: RankCore, contextId: number, members: Int32Array, services: CommServices, stageOf?: Comm) {
    super(core, contextId, members, services);
    this.collective.describeTag = (tag) => describeTag(tag, this.callNames[tag & 63] ?? "collective");
    this.collective.watch = (m) => this.watched(m);
    this.stageOf = stageOf;
    stageOf?.stages.push(this);
    // A stage made after its communicator broke (a hierarchy built meanwhile) is broken from the start.
    if (stageOf?.collective.broken) core.breakContext(this.collective, stageOf.collective.broken);
    // Frames that came before this rank made the communicator were delivered as its context opened, unwatched.
    for (const m of this.collective.unexpectedInOrder()) if (!this.collective.broken) this.watched(m);
  }

  /**
   * @internal The next call's tag: its sequence number with the call's
   * `signature` above it (src/coll/check.ts); `call` names the steps that
   * carry no signature in deadlock and --timeout reports. Throws once the
   * communicator's collectives are broken (a mismatch).
   */
  nextCollectiveTag(call = "collective", signature = 0): number {
    const broken = brokenCall(this.collective);
    if (broken) throw broken;
    const t = this.collectiveCalls;
    this.collectiveCalls = (t + 1) & SEQUENCE_MASK;
    this.callNames[t & 63] = call;
    const tag = t | (signature << SEQUENCE_BITS);
    const clash = this.guard.issue(tag);
    if (clash) this.mismatched(clashError(this.rank, this.collective.id, clash));
    return tag;
  }

  /** @internal Set once ranks called mismatched collectives on this communicator: its collectives fail with it. */
  get broken(): MpiError | undefined {
    return this.collective.broken;
  }

  /** @internal The collective call that fails with `broken` (shared-memory waits): counts it as reported. */
  brokenCall(): MpiError | undefined {
    return brokenCall(this.collective);
  }

  /** @internal One non-blocking progress pass (a shared-memory wait hears of a mismatch through it). */
  poll(): void {
    this.core.pollOnce();
  }

  /**
   * @internal This rank found the members' collectives mismatched: break the
   * communicator (the one whose stages this runs, if any) and tell every
   * member, whose pending or next collective on it then fails too.
   */
  mismatched(error: MpiError): void {
    let top: Comm = this;
    while (top.stageOf) top = top.stageOf;
    const told = top.collective.broken !== undefined;
    this.breakWith(error);
    if (told) return;
    const notice = new TextEncoder().encode(error.message);
    // Not from inside the frame handler that found it: sends go out after it returns.
    queueMicrotask(() => {
      const queued: Request<void>[] = [];
      for (let r = 0; r < top.size; r++) {
        if (r === top.rank) continue;
        const send = top.collIsend(notice, r, NOTICE_TAG);
        if (!send.completed) queued.push(send);
      }
      // Sends a transport queued are awaited, so progress runs until they are out (a failing job fails them all).
      if (queued.length > 0) void Promise.allSettled(queued);
    });
  }

  /** Break this communicator's collectives, and those it runs stages of or that run stages of it. */
  private breakWith(error: MpiError): void {
    if (this.collective.broken) return;
    this.core.breakContext(this.collective, error);
    for (const s of this.stages) s.breakWith(error);
    this.stageOf?.breakWith(error);
  }

  /** A collective message no posted receive took: a member's notice of a mismatch, or one this rank finds (src/coll/guard.ts). */
  private watched(m: UnexpectedMessage): void {
    if (m.tag === NOTICE_TAG) {
      this.breakWith(noticeError(this.rank, m.source, m.eagerBytes ? new TextDecoder().decode(m.eagerBytes) : "a mismatch"));
      return;
    }
    const clash = this.guard.arrived(m.source, m.tag);
    if (clash) this.mismatched(clashError(this.rank, this.collective.id, clash));
  }
  /** @internal A shared-memory collective waits on its peers (reports name the call, as for a receive). */
  waitingOn(tag: number, what: string): () => void {
    return this.core.waitingOn(`${this.collective.describeTag!(tag)} on context ${this.collective.id}, ${what}`);
  }
  /** @internal Non-blocking collective-context send (no spinning: for posting several at once). */
  collIsend(data: unknown, dest: number, tag: number): Request<void> {
    const req = this.post(this.collective, data, dest, tag);
    // A send the transport took at once is complete: the shared handle, no object per message.
    return req === SENT ? SENT_REQUEST : new Request<void>(this.core, req, finishVoid);
  }
  /** @internal Non-blocking collective-context receive; a typed-array value may land in a buffer `lend` provides. */
  collIrecv<T = unknown>(source: number, tag: number, lend?: Lender): Request<T> {
    const req = this.core.receiver.receive(this.collective, source, tag, undefined, lend);
    return new Request(this.core, req, finishData as (r: ReceiveRequest) => T);
  }
  /** @internal Non-blocking collective-context receive into `buf`; resolves to the bytes received. */
  collIrecvInto(buf: Uint8Array, source: number, tag: number): Request<number> {
    const req = this.core.receiver.receive(this.collective, source, tag, buf);
    return new Request(this.core, req, finishBytes);
  }
  /** @internal Handle-free collective messaging (see Channel.collRecvRecord). */
  collRecvRecord(buf: Uint8Array, source: number, tag: number): ReceiveRequest {
    return this.core.receiver.receive(this.collective, source, tag, buf);
  }
  /** @internal */
  collSendRecord(data: unknown, dest: number, tag: number): SendRequest {
    return this.post(this.collective, data, dest, tag);
  }
  /** @internal */
  collWait(records: readonly (ReceiveRequest | SendRequest)[]): Promise<void> {
    return waitRecords(this.core, records);
  }
  /** @internal */
  collRelease(record: ReceiveRequest): void {
    this.core.receiver.recycle(record);
  }

  /**
   * With coll.check=full (`--check-collectives`), agree with every member on
   * this call before it runs (src/coll/check.ts), after the previous check on
   * this communicator so calls still start in program order.
   */
  protected agreed(name: string, options: CollectiveOptions | undefined, facts: CallFacts = {}): Promise<void> {
    const call = describeCall(name, { ...facts, algorithm: options?.algorithm });
    const run = (): Promise<void> => agreeOnCall(this, call);
    const prev = this.lastCheck;
    const mine = prev ? prev.then(run, run) : run();
    this.lastCheck = mine;
    return mine;
  }

  // ---- collectives (algorithms and their selection: src/coll) -------------------------
  // Every call takes an optional `{ algorithm }` that forces one algorithm for
  // this call site (every rank must pass the same); see src/coll/select.ts.
  // A checked call (`agreed`) judges its root after the agreement, so one
  // rank's bad root is every rank's mismatch rather than a lone ERR_ROOT.

  // The commonest collectives are not async functions: a small one that
  // completes in the call (shared memory, src/coll/shared) returns a settled
  // promise without the turns through the microtask queue an async function
  // takes. The coll functions never throw; a bad root rejects, as it would
  // from an async function.
  barrier(options?: CollectiveOptions): Promise<void> {
    if (this.checks) return this.agreed("barrier", options).then(() => coll.barrier(this, options));
    return coll.barrier(this, options);
  }
  bcast<T>(data: T | undefined, root = 0, options?: CollectiveOptions): Promise<T> {
    if (this.checks) return this.agreed("bcast", options, { root }).then(() => rootChecked(this, root, "bcast") ?? coll.bcast(this, data, root, options));
    return rootChecked(this, root, "bcast") ?? coll.bcast(this, data, root, options);
  }
  reduce<T>(value: T, op: Op, root = 0, options?: CollectiveOptions): Promise<T | undefined> {
    if (this.checks) return this.agreed("reduce", options, { op, root, value }).then(() => rootChecked(this, root, "reduce") ?? coll.reduce(this, value, op, root, options));
    return rootChecked(this, root, "reduce") ?? coll.reduce(this, value, op, root, options);
  }
  allreduce<T>(value: T, op: Op, options?: CollectiveOptions): Promise<T> {
    if (this.checks) return this.agreed("allreduce", options, { op, value }).then(() => coll.allreduce(this, value, op, options));
    return coll.allreduce(this, value, op, options);
  }
  /** allreduce of a typed array into itself: large arrays are reduced in place (ring, Rabenseifner), no result allocation. */
  allreduceInto<B extends ArrayBufferView>(buf: B, op: Op, options?: CollectiveOptions): Promise<B> {
    if (this.checks) return this.agreed("allreduce", options, { op, value: buf }).then(() => coll.allreduceInto(this, buf, op, options));
    return coll.allreduceInto(this, buf, op, options);
  }
  /** Inclusive prefix reduction: rank i gets op(x0, …, xi). */
  async scan<T>(value: T, op: Op, options?: CollectiveOptions): Promise<T> {
    if (this.checks) await this.agreed("scan", options, { op, value });
    return coll.scan(this, value, op, options);
  }
  /** Exclusive prefix reduction: rank i gets op(x0, …, x(i-1)); rank 0 gets undefined. */
  async exscan<T>(value: T, op: Op, options?: CollectiveOptions): Promise<T | undefined> {
    if (this.checks) await this.agreed("exscan", options, { op, value });
    return coll.exscan(this, value, op, options);
  }
  gather<T>(value: T, root = 0, options?: CollectiveOptions): Promise<T[] | undefined> {
    if (this.checks) return this.agreed("gather", options, { root }).then(() => rootChecked(this, root, "gather") ?? coll.gather(this, value, root, options));
    return rootChecked(this, root, "gather") ?? coll.gather(this, value, root, options);
  }
  allgather<T>(value: T, options?: CollectiveOptions): Promise<T[]> {
    if (this.checks) return this.agreed("allgather", options).then(() => coll.allgather(this, value, options));
    return coll.allgather(this, value, options);
  }
  /** Rank i gets `values[i]` from the root (`values` is read on the root only). */
  scatter<T>(values: T[] | undefined, root = 0, options?: CollectiveOptions): Promise<T> {
    if (this.checks) return this.agreed("scatter", options, { root }).then(() => rootChecked(this, root, "scatter") ?? coll.scatter(this, values, root, options));
    return rootChecked(this, root, "scatter") ?? coll.scatter(this, values, root, options);
  }
  /** `values[i]` goes to rank i; result `[j]` came from rank j. Elements may differ in size (alltoallv). */
  alltoall<T>(values: T[], options?: CollectiveOptions): Promise<T[]> {
    if (this.checks) {
      return this.agreed("alltoall", options, { blocks: Array.isArray(values) ? values.length : undefined }).then(() => coll.alltoall(this, values, options));
    }
    return coll.alltoall(this, values, options);
  }
  /**
   * Typed-array alltoallv without copies: `send` holds `sendCounts[r]` elements
   * for each rank r in rank order; `recv` receives `recvCounts[j]` elements from
   * each rank j in rank order. Counts must match pairwise (else ERR_COUNT).
   */
  async alltoallInto(send: ArrayBufferView, sendCounts: readonly number[], recv: ArrayBufferView, recvCounts: readonly number[]): Promise<void> {
    if (this.checks) await this.agreed("alltoallInto", undefined);
    return coll.alltoallInto(this, send, sendCounts, recv, recvCounts);
  }
  /** Rank i gets the reduction over ranks of every rank's `values[i]`. */
  async reduceScatter<T>(values: T[], op: Op, options?: CollectiveOptions): Promise<T> {
    const list = Array.isArray(values);
    if (this.checks) await this.agreed("reduceScatter", options, { op, blocks: list ? values.length : undefined, ...(list ? { value: values[0] } : {}) });
    return coll.reduceScatter(this, values, op, options);
  }

  // ---- communicators -----------------------------------------------------------------

  /** Same group, new matching context. */
  async dup(): Promise<Comm> {
    if (this.checks) await this.agreed("dup", undefined);
    const id = await this.agreeContextId();
    return new Comm(this.core, id, this.members, this.services);
  }

  /** @internal Agree with every member on `width` fresh context ids (communicators.ts). */
  agreeContextId(width = 2): Promise<number> {
    return agree(this, this.core, null, width).then((r) => r.id);
  }

  /** MPI_Comm_split: ranks with the same colour form a communicator, ordered by key then old rank. */
  async split(color: number, key = 0): Promise<Comm | null> {
    if (!(Number.isInteger(color) && (color >= 0 || color === UNDEFINED))) {
      throw argumentError(this, "ERR_ARG", "split", `colour ${String(color)} is not valid`, "use a non-negative integer or UNDEFINED");
    }
    if (!Number.isInteger(key)) throw argumentError(this, "ERR_ARG", "split", `key ${String(key)} is not an integer`, "pass an integer key");
    if (this.checks) await this.agreed("split", undefined);
    const { id, all } = await agree(this, this.core, [color, key] as [number, number], 2);
    if (color === UNDEFINED) return null;
    const group = all
      .map(([, [c, k]], r) => ({ c, k, r }))
      .filter((e) => e.c === color)
      .sort((a, b) => a.k - b.k || a.r - b.r)
      .map((e) => this.members[e.r]!);
    return new Comm(this.core, id, Int32Array.from(group), this.services);
  }

  /**
   * A Cartesian grid over the first prod(dims) ranks (row-major: the last
   * coordinate varies fastest); the other ranks get null. `periods[d]` makes
   * dimension d wrap around. Collective.
   */
  async cart(dims: readonly number[], periods?: readonly boolean[]): Promise<CartComm | null> {
    if (this.checks) await this.agreed(`cart(dims [${Array.isArray(dims) ? dims.join(", ") : String(dims)}])`, undefined);
    // Agree on the context id before the first await, so this call takes its
    // collective tag in program order even when other collectives are in flight.
    const id = this.agreeContextId();
    return createCart(this, dims, periods, id);
  }

  /**
   * @internal A communicator over `members` (world ranks) on an agreed context
   * id, sharing this one's core and services; a `stage` runs stages of this
   * one's collectives (a mismatch breaks both).
   */
  derive(contextId: number, members: Int32Array, stage = false): this {
    return new Comm(this.core, contextId, members, this.services, stage ? this : undefined) as this;
  }

  /** The members that share this rank's VM, ordered by rank (built once; collective on first call). @internal */
  async nodeComm(): Promise<Comm> {
    return (await hierarchy(this)).userNode;
  }

  /** The lowest rank of each VM, ordered by rank; null on the other ranks (built once; collective on first call). @internal */
  async leaderComm(): Promise<Comm | null> {
    return (await hierarchy(this)).userLeaders;
  }

  /** Ends the whole job with `code`. */
  abort(code = 1): never {
    return this.services.abort(code, this.core.rank);
  }
}

// ---- Cartesian topologies (MPI_Cart_create and friends) ------------------------------
// A communicator whose ranks lie on a grid in row-major order (grid.ts does the
// arithmetic). It lives here because Comm.cart() makes one: a subclass in its
// own module would import this one and be imported by it.

export class CartComm extends Comm {
  /** Extent of each dimension. */
  readonly dims: readonly number[];
  /** Whether each dimension wraps around. */
  readonly periods: readonly boolean[];
  /** This rank's coordinates. */
  readonly coords: readonly number[];

  /** @internal Use `comm.cart(dims, periods)`. */
  constructor(base: Comm, contextId: number, members: Int32Array, dims: readonly number[], periods: readonly boolean[]) {
    super(base.core, contextId, members, base.services);
    this.dims = Object.freeze([...dims]);
    this.periods = Object.freeze([...periods]);
    this.coords = Object.freeze(this.coordsOf(this.rank));
  }

  /** Same group and grid, new matching context (MPI_Comm_dup keeps a communicator's topology). */
  override async dup(): Promise<CartComm> {
    if (this.checks) await this.agreed("dup", undefined);
    const id = await this.agreeContextId();
    return new CartComm(this, id, this.members, this.dims, this.periods);
  }

  /** Coordinates of `rank` in the grid. */
  coordsOf(rank: number): number[] {
    if (!(Number.isInteger(rank) && rank >= 0 && rank < this.size)) {
      throw mpiError("ERR_RANK", this.rank, "coordsOf", `rank ${String(rank)} is not in this grid of ${this.size}`, `use 0..${this.size - 1}`);
    }
    return coordsOf(this.dims, rank);
  }

  /** Rank at `coords`; periodic dimensions wrap, others must be in range (else ERR_RANK). */
  rankOf(coords: readonly number[]): number {
    const r = this.tryRankOf(coords, "rankOf");
    if (r === PROC_NULL) {
      throw mpiError(
        "ERR_RANK",
        this.rank,
        "rankOf",
        `coordinates [${coords.join(", ")}] are outside the grid [${this.dims.join(", ")}]`,
        "stay in range on non-periodic dimensions",
      );
    }
    return r;
  }

  private tryRankOf(coords: readonly number[], call: string): number {
    if (!Array.isArray(coords) || coords.length !== this.dims.length || coords.some((c) => !Number.isInteger(c))) {
      throw mpiError("ERR_ARG", this.rank, call, `expected ${this.dims.length} integer coordinates`, "pass one coordinate per dimension");
    }
    return rankAt(this.dims, this.periods, coords);
  }

  /** Neighbours `disp` steps along `dim`: `dest` ahead, `source` behind (PROC_NULL off a non-periodic edge). */
  shift(dim: number, disp: number): { source: number; dest: number } {
    if (!(Number.isInteger(dim) && dim >= 0 && dim < this.dims.length)) {
      throw mpiError("ERR_ARG", this.rank, "shift", `dimension ${String(dim)} does not exist`, `use 0..${this.dims.length - 1}`);
    }
    if (!Number.isInteger(disp)) throw mpiError("ERR_ARG", this.rank, "shift", `displacement ${String(disp)} is not an integer`, "pass an integer");
    const ahead = [...this.coords];
    const behind = [...this.coords];
    ahead[dim]! += disp;
    behind[dim]! -= disp;
    return { source: this.tryRankOf(behind, "shift"), dest: this.tryRankOf(ahead, "shift") };
  }

  /**
   * The sub-grid keeping the dimensions where `remainDims[d]` is true: ranks
   * that share their coordinates in the dropped dimensions (MPI_Cart_sub).
   * Collective over this grid.
   */
  async sub(remainDims: readonly boolean[]): Promise<CartComm> {
    if (!Array.isArray(remainDims) || remainDims.length !== this.dims.length) {
      throw mpiError("ERR_ARG", this.rank, "sub", `expected ${this.dims.length} booleans`, "pass one flag per dimension");
    }
    if (this.checks) await this.agreed(`sub([${remainDims.join(", ")}])`, undefined);
    const id = await this.agreeContextId();
    const members: number[] = [];
    for (let r = 0; r < this.size; r++) {
      const c = this.coordsOf(r);
      if (c.every((x, d) => remainDims[d] || x === this.coords[d])) members.push(this.members[r]!);
    }
    const keep = (xs: readonly unknown[]) => xs.filter((_, d) => remainDims[d]);
    return new CartComm(this, id, Int32Array.from(members), keep(this.dims) as number[], keep(this.periods) as boolean[]);
  }
}

/** Collective: build the grid over the first prod(dims) ranks of `comm`. */
async function createCart(comm: Comm, dims: readonly number[], periods: readonly boolean[] | undefined, agreedId: Promise<number>): Promise<CartComm | null> {
  // Every rank joined the id agreement already; settle it before judging the arguments.
  const id = await agreedId;
  const { n, periods: p } = checkGrid(comm.rank, comm.size, dims, periods);
  return comm.rank < n ? new CartComm(comm, id, comm.members.slice(0, n), dims, p) : null;
}
