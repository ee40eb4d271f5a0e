/**
 * A communicator's point-to-point half: membership, placement, and the
 * sends and receives a program makes (validated here, so a mistake fails at
 * the call that made it, never later traffic), handed to the rank's core.
 * `Comm` (comm.ts) adds collectives and communicator creation.
 */
import type { MatchingContext } from "../core/matching.ts";
import type { RankCore } from "../core/rank-core.ts";
import { Request, SENT_REQUEST, waitall, waitany } from "../core/request.ts";
import { type ReceiveRequest, SENT, type SendRequest } from "../core/requests.ts";
import { ANY_SOURCE, ANY_TAG, PROC_NULL } from "../constants.ts";
import type { ResolvedPlacement } from "../placement/resolved.ts";
import { checkBuffer, checkRank, checkTag } from "./arguments.ts";
import { asMpiError, finishMessage, finishStatus, finishVoid, type Message, procNullMessage, procNullStatus, RESOLVED, type Status } from "./messages.ts";

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
  placement: ResolvedPlacement;
  /** Job settings (`--set key=value`, `--coll name=algorithm` as `coll.name`). */
  settings: Readonly<Record<string, string>>;
}

type Buffer = ArrayBufferView | ArrayBuffer;

export class PointToPoint {
  readonly rank: number;
  readonly size: number;
  /** World rank of each member, indexed by rank in this communicator. */
  readonly members: Int32Array;
  readonly placement: Placement;
  /** @internal */ readonly core: RankCore;
  /** @internal */ readonly p2p: MatchingContext<ReceiveRequest>;
  /** @internal */ readonly collective: MatchingContext<ReceiveRequest>;
  /** @internal */ readonly services: CommServices;
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
  protected post(ctx: MatchingContext<ReceiveRequest>, data: unknown, dest: number, tag: number): SendRequest {
    return this.core.sender.send(ctx, this.rank, dest, this.members[dest]!, tag, data);
  }

  /** Validate and start a send; undefined for PROC_NULL. Throws on bad arguments. */
  private startSend(data: unknown, dest: number, tag: number, call: string): SendRequest | undefined {
    checkRank(this, dest, call, true);
    checkTag(this, tag, call, false);
    return dest === PROC_NULL ? undefined : this.post(this.p2p, data, dest, tag);
  }

  /** Validate and post a receive (into `buf` when given); undefined for PROC_NULL. */
  private startReceive(buf: Buffer | undefined, source: number, tag: number, call: string): ReceiveRequest | undefined {
    const bytes = buf === undefined ? undefined : checkBuffer(this, buf, call);
    checkRank(this, source, call, true, true);
    checkTag(this, tag, call, true);
    return source === PROC_NULL ? undefined : this.core.receiver.receive(this.p2p, source, tag, bytes);
  }

  /**
   * A blocking-style call: spin briefly for a completion on its way. One
   * that completes by then needs no Request and shares one settled promise:
   * this is the send half of a ping-pong.
   */
  private waitSend(req: SendRequest): Promise<void> {
    if (!req.done) this.core.spinFor(req);
    if (!req.done) return new Request<void>(this.core, req, finishVoid).asPromise();
    return req.error ? Promise.reject(req.error) : RESOLVED;
  }

  /**
   * The receive half: a receive that completes while spinning needs no
   * Request either, and nothing else holds it then, so it is recycled for
   * the next receive (one object less per message).
   */
  private waitReceive<T>(req: ReceiveRequest, finish: (r: ReceiveRequest) => T): Promise<T> {
    if (!req.done) this.core.spinFor(req);
    if (!req.done) return new Request<T>(this.core, req, finish).asPromise();
    if (req.error) return Promise.reject(req.error);
    const v = finish(req);
    this.core.receiver.recycle(req);
    return Promise.resolve(v);
  }

  isend(data: unknown, dest: number, tag = 0): Request<void> {
    try {
      const req = this.startSend(data, dest, tag, "isend");
      if (req === SENT) return SENT_REQUEST;
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
    return req ? this.waitSend(req) : RESOLVED;
  }

  irecv<T = unknown>(source: number = ANY_SOURCE, tag: number = ANY_TAG): Request<Message<T>> {
    try {
      const req = this.startReceive(undefined, source, tag, "irecv");
      return req ? new Request(this.core, req, finishMessage as (r: ReceiveRequest) => Message<T>) : Request.resolved(procNullMessage<T>());
    } catch (e) {
      return Request.failed(asMpiError(e));
    }
  }

  recv<T = unknown>(source: number = ANY_SOURCE, tag: number = ANY_TAG): Promise<Message<T>> {
    let req: ReceiveRequest | undefined;
    try {
      req = this.startReceive(undefined, source, tag, "recv");
    } catch (e) {
      return Promise.reject(asMpiError(e));
    }
    return req ? this.waitReceive(req, finishMessage as (r: ReceiveRequest) => Message<T>) : Promise.resolve(procNullMessage<T>());
  }

  /** Non-blocking receive into the caller's buffer; a longer message fails with ERR_TRUNCATE. */
  irecvInto(buf: Buffer, source: number = ANY_SOURCE, tag: number = ANY_TAG): Request<Status> {
    try {
      const req = this.startReceive(buf, source, tag, "recvInto");
      return req ? new Request(this.core, req, finishStatus) : Request.resolved(procNullStatus());
    } catch (e) {
      return Request.failed(asMpiError(e));
    }
  }

  recvInto(buf: Buffer, source: number = ANY_SOURCE, tag: number = ANY_TAG): Promise<Status> {
    let req: ReceiveRequest | undefined;
    try {
      req = this.startReceive(buf, source, tag, "recvInto");
    } catch (e) {
      return Promise.reject(asMpiError(e));
    }
    return req ? this.waitReceive(req, finishStatus) : Promise.resolve(procNullStatus());
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
    const m = this.core.receiver.peekUnexpected(this.p2p, source, tag);
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

  /** Seconds on this rank's clock (MPI_Wtime): the wall clock live, virtual time in the simulator. */
  wtime(): number {
    return this.core.clock.now();
  }
}
