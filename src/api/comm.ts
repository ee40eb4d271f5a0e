/**
 * The communicator: the object a program talks to. It validates arguments
 * (so a mistake fails at the call that made it, never later traffic), maps
 * communicator ranks to world ranks, and hands point-to-point work to the
 * rank's core and collective work to src/coll.
 */
import { hierarchy } from "../coll/hierarchical.ts";
import * as coll from "../coll/index.ts";
import type { CollectiveOptions } from "../coll/select.ts";
import type { MatchingContext } from "../core/matching.ts";
import type { RankCore } from "../core/rank-core.ts";
import type { ReceiveRequest, SendRequest } from "../core/requests.ts";
import type { Lender } from "../core/payload.ts";
import { argumentError, checkBuffer, checkRank, checkTag } from "./arguments.ts";
import { ANY_SOURCE, ANY_TAG, PROC_NULL, UNDEFINED } from "./constants.ts";
import type { CartComm } from "./cart.ts";
import { MpiError } from "./errors.ts";
import type { Op } from "./op.ts";
import type { WorldPlacement } from "./placement.ts";
import { Request, waitall, waitany } from "./request.ts";

/** What a receive reports about the message it got. */
export interface Status {
  source: number;
  tag: number;
  bytes: number;
}

/** A received message. */
export interface Message<T = unknown> {
  data: T;
  source: number;
  tag: number;
}

/** Where ranks sit, as seen from one communicator. */
export interface Placement {
  /** The host and VM of a rank of this communicator. */
  of(rank: number): { host: string; vm: string };
  /** The transport that carries traffic from this rank to `rank`. */
  transportTo(rank: number): string;
}

/** Engine services a communicator needs but does not implement. */
export interface CommServices {
  /** End the whole job. */
  abort(code: number, rank: number): never;
  placement: WorldPlacement;
  /** Job settings (`--set key=value`, `--coll name=algorithm` as `coll.name`). */
  settings: Readonly<Record<string, string>>;
}

type Buffer = ArrayBufferView | ArrayBuffer;

export class Comm {
  readonly rank: number;
  readonly size: number;
  /** World rank of each member, indexed by rank in this communicator. */
  readonly members: Int32Array;
  readonly placement: Placement;
  /** @internal */ readonly core: RankCore;
  /** @internal */ readonly p2p: MatchingContext<ReceiveRequest>;
  /** @internal */ readonly collective: MatchingContext<ReceiveRequest>;
  /** @internal */ readonly services: CommServices;
  /** Counts collective calls; every member calls them in the same order, so the count is a shared tag. */
  private collectiveCalls = 0;

  /** @internal Use `dup`, `split` or `cart`; the engine makes the world communicator. */
  constructor(core: RankCore, contextId: number, members: Int32Array, services: CommServices) {
    this.core = core;
    this.members = members;
    this.size = members.length;
    this.rank = members.indexOf(core.rank);
    this.services = services;
    this.p2p = core.openContext(contextId, this.size);
    this.collective = core.openContext(contextId + 1, this.size);
    const world = services.placement;
    this.placement = {
      of: (r) => {
        checkRank(this, r, "placement.of", false);
        return world.of(members[r]!);
      },
      transportTo: (r) => {
        checkRank(this, r, "placement.transportTo", false);
        return world.transportBetween(core.rank, members[r]!);
      },
    };
  }

  // ---- point-to-point ------------------------------------------------------------

  /** Internal send on a matching context; validated by the caller. */
  private post(ctx: MatchingContext<ReceiveRequest>, data: unknown, dest: number, tag: number): SendRequest {
    return this.core.send(ctx, this.rank, dest, this.members[dest]!, tag, data);
  }

  /** Validate and start a send; undefined for PROC_NULL. Throws on bad arguments. */
  private startSend(data: unknown, dest: number, tag: number, call: string): SendRequest | undefined {
    checkRank(this, dest, call, true);
    checkTag(this, tag, call, false);
    return dest === PROC_NULL ? undefined : this.post(this.p2p, data, dest, tag);
  }

  /**
   * Validate and post a receive (into `buf` when given); undefined for
   * PROC_NULL. A blocking caller passes `poll = false`: it polls next anyway.
   */
  private startReceive(buf: Buffer | undefined, source: number, tag: number, call: string, poll: boolean): ReceiveRequest | undefined {
    const bytes = buf === undefined ? undefined : checkBuffer(this, buf, call);
    checkRank(this, source, call, true, true);
    checkTag(this, tag, call, true);
    return source === PROC_NULL ? undefined : this.core.receive(this.p2p, source, tag, bytes, undefined, poll);
  }

  /**
   * A blocking-style call: spin briefly for a completion on its way. One
   * that completes by then needs no Request (and a void result shares one
   * settled promise): this is each half of a ping-pong.
   */
  private wait<T>(req: SendRequest | ReceiveRequest, finish: (r: any) => T): Promise<T> {
    if (!req.done) this.core.spinFor(req);
    if (!req.done) return new Request<T>(this.core, req, finish).asPromise();
    if (req.error) return Promise.reject(req.error);
    const v = finish(req);
    return v === undefined ? (RESOLVED as Promise<T>) : Promise.resolve(v);
  }

  isend(data: unknown, dest: number, tag = 0): Request<void> {
    try {
      const req = this.startSend(data, dest, tag, "isend");
      return req ? new Request<void>(this.core, req, finishVoid) : Request.resolved(undefined);
    } catch (e) {
      return Request.failed(asMpiError(e));
    }
  }

  /** Resolves when `data` may be reused. */
  send(data: unknown, dest: number, tag = 0): Promise<void> {
    let req: SendRequest | undefined;
    try {
      req = this.startSend(data, dest, tag, "send");
    } catch (e) {
      return Promise.reject(asMpiError(e));
    }
    return req ? this.wait(req, finishVoid) : RESOLVED;
  }

  irecv<T = unknown>(source: number = ANY_SOURCE, tag: number = ANY_TAG): Request<Message<T>> {
    try {
      const req = this.startReceive(undefined, source, tag, "irecv", true);
      return req ? new Request(this.core, req, finishMessage as (r: ReceiveRequest) => Message<T>) : Request.resolved(procNullMessage<T>());
    } catch (e) {
      return Request.failed(asMpiError(e));
    }
  }

  recv<T = unknown>(source: number = ANY_SOURCE, tag: number = ANY_TAG): Promise<Message<T>> {
    let req: ReceiveRequest | undefined;
    try {
      req = this.startReceive(undefined, source, tag, "recv", false);
    } catch (e) {
      return Promise.reject(asMpiError(e));
    }
    return req ? this.wait(req, finishMessage as (r: ReceiveRequest) => Message<T>) : Promise.resolve(procNullMessage<T>());
  }

  /** Non-blocking receive into the caller's buffer; a longer message fails with ERR_TRUNCATE. */
  irecvInto(buf: Buffer, source: number = ANY_SOURCE, tag: number = ANY_TAG): Request<Status> {
    try {
      const req = this.startReceive(buf, source, tag, "recvInto", true);
      return req ? new Request(this.core, req, finishStatus) : Request.resolved(procNullStatus());
    } catch (e) {
      return Request.failed(asMpiError(e));
    }
  }

  recvInto(buf: Buffer, source: number = ANY_SOURCE, tag: number = ANY_TAG): Promise<Status> {
    let req: ReceiveRequest | undefined;
    try {
      req = this.startReceive(buf, source, tag, "recvInto", false);
    } catch (e) {
      return Promise.reject(asMpiError(e));
    }
    return req ? this.wait(req, finishStatus) : Promise.resolve(procNullStatus());
  }

  /** Send and receive at once; safe against the deadlock two blocking sends would cause. */
  async sendrecv<T = unknown>(data: unknown, dest: number, sendTag: number, source: number = ANY_SOURCE, recvTag: number = ANY_TAG): Promise<Message<T>> {
    const r = this.irecv<T>(source, recvTag);
    const s = this.isend(data, dest, sendTag);
    const [, m] = await Promise.all([s, r]);
    return m;
  }

  /** Waits for a matching message without receiving it. */
  async probe(source: number = ANY_SOURCE, tag: number = ANY_TAG): Promise<Status> {
    checkRank(this, source, "probe", true, true);
    checkTag(this, tag, "probe", true);
    if (source === PROC_NULL) return { source: PROC_NULL, tag: ANY_TAG, bytes: 0 };
    for (;;) {
      const s = this.iprobe(source, tag);
      if (s) return s;
      await this.core.nextArrival();
    }
  }

  iprobe(source: number = ANY_SOURCE, tag: number = ANY_TAG): Status | undefined {
    checkRank(this, source, "iprobe", true, true);
    checkTag(this, tag, "iprobe", true);
    if (source === PROC_NULL) return { source: PROC_NULL, tag: ANY_TAG, bytes: 0 };
    const m = this.core.peekUnexpected(this.p2p, source, tag);
    return m ? { source: m.source, tag: m.tag, bytes: m.totalBytes } : undefined;
  }

  /** Resolves to every request's value, in order (MPI_Waitall). */
  waitall<T extends readonly PromiseLike<unknown>[]>(requests: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
    return waitall(requests);
  }

  /** Resolves to the first request to complete and its value (MPI_Waitany). */
  waitany<T>(requests: readonly PromiseLike<T>[]): Promise<{ index: number; value: T }> {
    return waitany(requests);
  }

  // ---- internal (collective-context) messaging, used by src/coll ------------------

  /** @internal */ nextCollectiveTag(): number {
    const t = this.collectiveCalls;
    this.collectiveCalls = (t + 1) & 0x3fffffff;
    return t;
  }
  /** @internal */ collSend(data: unknown, dest: number, tag: number): Promise<void> {
    return this.wait(this.post(this.collective, data, dest, tag), finishVoid);
  }
  /** @internal */ collRecv<T = unknown>(source: number, tag: number): Promise<T> {
    return this.wait(this.core.receive(this.collective, source, tag, undefined, undefined, false), finishData as (r: ReceiveRequest) => T);
  }
  /** @internal Non-blocking collective-context send (no spinning: for posting several at once). */
  collIsend(data: unknown, dest: number, tag: number): Request<void> {
    return new Request<void>(this.core, this.post(this.collective, data, dest, tag), finishVoid);
  }
  /** @internal Non-blocking collective-context receive; a typed-array value may land in a buffer `lend` provides. */
  collIrecv<T = unknown>(source: number, tag: number, lend?: Lender): Request<T> {
    const req = this.core.receive(this.collective, source, tag, undefined, lend);
    return new Request(this.core, req, finishData as (r: ReceiveRequest) => T);
  }
  /** @internal Non-blocking collective-context receive into `buf`; resolves to the bytes received. */
  collIrecvInto(buf: Uint8Array, source: number, tag: number): Request<number> {
    const req = this.core.receive(this.collective, source, tag, buf);
    return new Request(this.core, req, finishBytes);
  }
  /** @internal */ async collSendrecv<T = unknown>(data: unknown, dest: number, source: number, tag: number): Promise<T> {
    const req = this.core.receive(this.collective, source, tag, undefined);
    const recv = new Request(this.core, req, finishData as (r: ReceiveRequest) => T);
    const send = new Request<void>(this.core, this.post(this.collective, data, dest, tag), finishVoid);
    const [, v] = await Promise.all([send, recv]);
    return v;
  }

  // ---- collectives (algorithms and their selection: src/coll) -------------------------
  // Every call takes an optional `{ algorithm }` that forces one algorithm for
  // this call site (every rank must pass the same); see src/coll/select.ts.

  async barrier(options?: CollectiveOptions): Promise<void> {
    return coll.barrier(this, options);
  }
  async bcast<T>(data: T | undefined, root = 0, options?: CollectiveOptions): Promise<T> {
    checkRank(this, root, "bcast", false);
    return coll.bcast(this, data, root, options);
  }
  async reduce<T>(value: T, op: Op, root = 0, options?: CollectiveOptions): Promise<T | undefined> {
    checkRank(this, root, "reduce", false);
    return coll.reduce(this, value, op, root, options);
  }
  async allreduce<T>(value: T, op: Op, options?: CollectiveOptions): Promise<T> {
    return coll.allreduce(this, value, op, options);
  }
  /** allreduce of a typed array into itself: large arrays are reduced in place (ring, Rabenseifner), no result allocation. */
  async allreduceInto<B extends ArrayBufferView>(buf: B, op: Op, options?: CollectiveOptions): Promise<B> {
    return coll.allreduceInto(this, buf, op, options);
  }
  /** Inclusive prefix reduction: rank i gets op(x0, …, xi). */
  async scan<T>(value: T, op: Op, options?: CollectiveOptions): Promise<T> {
    return coll.scan(this, value, op, options);
  }
  /** Exclusive prefix reduction: rank i gets op(x0, …, x(i-1)); rank 0 gets undefined. */
  async exscan<T>(value: T, op: Op, options?: CollectiveOptions): Promise<T | undefined> {
    return coll.exscan(this, value, op, options);
  }
  async gather<T>(value: T, root = 0, options?: CollectiveOptions): Promise<T[] | undefined> {
    checkRank(this, root, "gather", false);
    return coll.gather(this, value, root, options);
  }
  async allgather<T>(value: T, options?: CollectiveOptions): Promise<T[]> {
    return coll.allgather(this, value, options);
  }
  /** Rank i gets `values[i]` from the root (`values` is read on the root only). */
  async scatter<T>(values: T[] | undefined, root = 0, options?: CollectiveOptions): Promise<T> {
    checkRank(this, root, "scatter", false);
    return coll.scatter(this, values, root, options);
  }
  /** `values[i]` goes to rank i; result `[j]` came from rank j. Elements may differ in size (alltoallv). */
  async alltoall<T>(values: T[], options?: CollectiveOptions): Promise<T[]> {
    return coll.alltoall(this, values, options);
  }
  /**
   * Typed-array alltoallv without copies: `send` holds `sendCounts[r]` elements
   * for each rank r in rank order; `recv` receives `recvCounts[j]` elements from
   * each rank j in rank order. Counts must match pairwise (else ERR_COUNT).
   */
  async alltoallInto(send: ArrayBufferView, sendCounts: readonly number[], recv: ArrayBufferView, recvCounts: readonly number[]): Promise<void> {
    return coll.alltoallInto(this, send, sendCounts, recv, recvCounts);
  }
  /** Rank i gets the reduction over ranks of every rank's `values[i]`. */
  async reduceScatter<T>(values: T[], op: Op, options?: CollectiveOptions): Promise<T> {
    return coll.reduceScatter(this, values, op, options);
  }

  // ---- communicators -----------------------------------------------------------------

  /** Same group, new matching context. */
  async dup(): Promise<Comm> {
    const id = await this.agreeContextId();
    return new Comm(this.core, id, this.members, this.services);
  }

  /**
   * @internal Every member proposes its lowest unused context id; all take
   * the maximum and reserve `width` ids from it. A rank's ids only grow, so
   * an agreed id was never used by any member. Agreements on one rank run one
   * at a time, in the order they were called (each takes its collective tag
   * at the call), so concurrent communicator creations never pick the same id;
   * like blocking MPI calls, every rank must create communicators in an order
   * consistent across the communicators it shares.
   */
  agreeContextId(width = 2): Promise<number> {
    return this.agree(null, width).then((r) => r.id);
  }

  private agree<T>(extra: T, width: number): Promise<{ id: number; all: [number, T][] }> {
    const run = coll.reserveAllgather<[number, T]>(this, 16);
    const before = agreements.get(this.core) ?? Promise.resolve();
    const done = before.then(async () => {
      const all = await run([this.core.nextContextId, extra]);
      let id = 0;
      for (const [c] of all) if (c > id) id = c;
      this.core.nextContextId = id + width;
      return { id, all };
    });
    agreements.set(
      this.core,
      done.then(
        () => undefined,
        () => undefined,
      ),
    );
    return done;
  }

  /** MPI_Comm_split: ranks with the same colour form a communicator, ordered by key then old rank. */
  async split(color: number, key = 0): Promise<Comm | null> {
    if (!(Number.isInteger(color) && (color >= 0 || color === UNDEFINED))) {
      throw argumentError(this, "ERR_ARG", "split", `colour ${String(color)} is not valid`, "use a non-negative integer or UNDEFINED");
    }
    if (!Number.isInteger(key)) throw argumentError(this, "ERR_ARG", "split", `key ${String(key)} is not an integer`, "pass an integer key");
    const { id, all } = await this.agree([color, key] as [number, number], 2);
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
    // Agree on the context id before the first await, so this call takes its
    // collective tag in program order even when other collectives are in flight.
    const id = this.agreeContextId();
    const { createCart } = await import("./cart.ts");
    return createCart(this, dims, periods, id);
  }

  /** @internal A communicator over `members` (world ranks) on an agreed context id, sharing this one's core and services. */
  derive(contextId: number, members: Int32Array): Comm {
    return new Comm(this.core, contextId, members, this.services);
  }

  /** The members that share this rank's VM, ordered by rank (built once; collective on first call). */
  async nodeComm(): Promise<Comm> {
    return (await hierarchy(this)).node;
  }

  /** The lowest rank of each VM, ordered by rank; null on the other ranks (built once; collective on first call). */
  async leaderComm(): Promise<Comm | null> {
    return (await hierarchy(this)).leaders;
  }

  /** Ends the whole job with `code`. */
  abort(code = 1): never {
    return this.services.abort(code, this.core.rank);
  }
}

/** The tail of each rank's chain of context-id agreements (see Comm.agreeContextId). */
const agreements = new WeakMap<RankCore, Promise<void>>();

/** What a send that completed at once returns (sharing one settled promise is safe: nobody can change it). */
const RESOLVED: Promise<void> = Promise.resolve();

// What each kind of request resolves to; module-level so no closure is made per call.
const finishVoid = (): undefined => undefined;
const finishMessage = (r: ReceiveRequest): Message => ({ data: r.value, source: r.matchedSource, tag: r.matchedTag });
const finishStatus = (r: ReceiveRequest): Status => ({ source: r.matchedSource, tag: r.matchedTag, bytes: r.totalBytes });
const finishData = (r: ReceiveRequest): unknown => r.value;
const finishBytes = (r: ReceiveRequest): number => r.totalBytes;
const procNullStatus = (): Status => ({ source: PROC_NULL, tag: ANY_TAG, bytes: 0 });
const procNullMessage = <T>(): Message<T> => ({ data: undefined as T, source: PROC_NULL, tag: ANY_TAG });

function asMpiError(e: unknown): MpiError {
  if (e instanceof MpiError) return e;
  return new MpiError("ERR_INTERNAL", e instanceof Error ? e.message : String(e), { cause: e });
}
