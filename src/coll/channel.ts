/**
 * What a collective algorithm needs from a communicator, and nothing more:
 * who it is, the collective context (its own tags, its own matching, so
 * collective traffic never meets a user receive), where members sit, the job
 * settings that choose algorithms, and the means to make sub-communicators.
 * `Comm` (src/api/comm.ts) implements it; algorithms never import `Comm`.
 */
import type { Request } from "../core/request.ts";
import type { ReceiveRequest, SendRequest } from "../core/requests.ts";
import type { Lender } from "../core/payload.ts";
import type { SharedSegment } from "../transport/contract.ts";
import type { MpiError } from "../errors.ts";

export interface Channel {
  readonly rank: number;
  readonly size: number;
  /** World rank of each member, indexed by rank in this communicator. */
  readonly members: Int32Array;
  /** Host and VM of a member (hierarchical algorithms group by VM). */
  readonly placement: { of(rank: number): { host: string; vm: string } };
  /** Job settings: `coll.<collective>` forces an algorithm, `coll.rules` replaces the rules table. */
  readonly settings: Readonly<Record<string, string>>;
  /**
   * The next collective call's tag; every member calls collectives in the
   * same order, so it is shared. `signature` (check.ts) folds the call's
   * kind, root and op into it; `call` names unsigned steps in reports.
   */
  nextCollectiveTag(call?: string, signature?: number): number;
  /** Send on the collective context (no spinning: for posting several at once). */
  collIsend(data: unknown, dest: number, tag: number): Request<void>;
  /** Receive on the collective context; a typed-array value may land in a buffer `lend` provides. */
  collIrecv<T = unknown>(source: number, tag: number, lend?: Lender): Request<T>;
  /** Receive on the collective context into `buf`; resolves to the bytes received. */
  collIrecvInto(buf: Uint8Array, source: number, tag: number): Request<number>;
  /**
   * Receive into `buf` and send `data` on the collective context with no
   * handle: the core's records, waited on together with `collWait` (their
   * errors are theirs to read), for algorithms that post many at once (a
   * linear all-to-all: a handle and a promise per message cost more than
   * its 8 bytes). A receive record read to the end goes back with
   * `collRelease`.
   */
  collRecvRecord(buf: Uint8Array, source: number, tag: number): ReceiveRequest;
  collSendRecord(data: unknown, dest: number, tag: number): SendRequest;
  collWait(records: readonly (ReceiveRequest | SendRequest)[]): Promise<void>;
  collRelease(record: ReceiveRequest): void;
  /**
   * A wait on shared memory for call `tag` begins (described as `what`): hang
   * reports count the rank as blocked in this collective until the returned
   * function is called.
   */
  waitingOn?(tag: number, what: string): () => void;
  /**
   * What src/coll remembers about this communicator (select.ts: forced
   * algorithms and rule picks): a field, so a small collective finds it with
   * one load, not a WeakMap lookup per question. Owned by src/coll.
   */
  collMemo?: unknown;
  /** Memory shared with the ranks of this VM, if a transport offers it (src/coll/shared lays it out). */
  readonly segment?: SharedSegment | undefined;
  /** Agree with every member on `width` fresh context ids (collective). */
  agreeContextId(width?: number): Promise<number>;
  /** A communicator of the same kind over `members` (world ranks) on an agreed context id; a `stage` runs stages of this one's collectives. */
  derive(contextId: number, members: Int32Array, stage?: boolean): this;
  /** Set once members called mismatched collectives here (guard.ts): every collective on it fails with it. */
  readonly broken?: MpiError | undefined;
  /** The error a collective waiting outside the matching engine fails with once broken (counted as reported). */
  brokenCall?(): MpiError | undefined;
  /** One non-blocking progress pass (poll the transports). */
  poll?(): void;
  /** This rank found the members' collectives mismatched: break the communicator and tell every member. */
  mismatched?(error: MpiError): void;
}
