/**
 * The state of one point-to-point operation as the core tracks it. A
 * `Request` (request.ts) wraps these for programs.
 */
import type { MpiError } from "../errors.ts";
import type { MatchingContext } from "./matching.ts";
import type { Lender } from "./payload.ts";

/** A receive waiting for (or in the middle of) its message. */
export interface ReceiveRequest {
  source: number;
  tag: number;
  /** recvInto: byte view of the caller's buffer. */
  into: Uint8Array | undefined;
  /** recv() of a typed array: who may lend the buffer it lands in (else one is allocated). */
  lend: Lender | undefined;
  done: boolean;
  error: MpiError | undefined;
  settle: ((r: ReceiveRequest) => void) | undefined;
  /** Filled when matched: what the receive reports (its status). */
  matchedSource: number;
  matchedTag: number;
  kind: number;
  /** The message's size in bytes. */
  totalBytes: number;
  /** Rendezvous: where the bytes land. */
  bytes: Uint8Array | undefined;
  /** recv(): the value, once complete (during a rendezvous: the buffer being filled). recvInto(): unused. */
  value: unknown;
  received: number;
  worldSource: number;
  context: MatchingContext<ReceiveRequest>;
}

export interface SendRequest {
  done: boolean;
  error: MpiError | undefined;
  settle: ((r: SendRequest) => void) | undefined;
  worldDest: number;
  payload: Uint8Array;
  pendingFrames: number;
}

/**
 * A new receive; `spare`, a finished one nobody holds any more, is made into
 * it rather than allocating (the fields a match or a landing always writes
 * first are left as they are).
 */
export function newReceiveRequest(
  context: MatchingContext<ReceiveRequest>,
  source: number,
  tag: number,
  into: Uint8Array | undefined,
  lend: Lender | undefined,
  spare?: ReceiveRequest,
): ReceiveRequest {
  if (spare === undefined) {
    return {
      source,
      tag,
      into,
      lend,
      done: false,
      error: undefined,
      settle: undefined,
      matchedSource: 0,
      matchedTag: 0,
      kind: 0,
      totalBytes: 0,
      bytes: undefined,
      value: undefined,
      received: 0,
      worldSource: 0,
      context,
    };
  }
  spare.source = source;
  spare.tag = tag;
  spare.into = into;
  spare.lend = lend;
  spare.done = false;
  spare.error = undefined;
  spare.settle = undefined;
  spare.received = 0;
  spare.context = context;
  return spare;
}

export function newSendRequest(worldDest: number, payload: Uint8Array): SendRequest {
  return { done: false, error: undefined, settle: undefined, worldDest, payload, pendingFrames: 1 };
}

/**
 * What a send that the transport took at once returns: complete, shared by
 * all such sends, and never changed (a request that is done is never settled
 * or failed again).
 */
export const SENT: SendRequest = { done: true, error: undefined, settle: undefined, worldDest: -1, payload: new Uint8Array(0), pendingFrames: 0 };

/**
 * The rank's book of open operations, shared by the send side and the
 * receive side: how many requests are incomplete (progress runs while any
 * are), rendezvous requests by id, and the error every call fails with once
 * the job is failing.
 */
export class RequestTable {
  /** Requests not yet complete; progress runs while this is above zero. */
  waiting = 0;
  /** Once set, every pending and later operation fails with it. */
  failed: MpiError | undefined;
  /** Rendezvous sends waiting for their clear-to-send, by id. */
  readonly sends = new Map<number, SendRequest>();
  /** Rendezvous receives waiting for data, by id. */
  readonly receives = new Map<number, ReceiveRequest>();
  private nextId = 1;

  newId(): number {
    const id = this.nextId;
    this.nextId = (id + 1) >>> 0 || 1;
    return id;
  }

  complete(req: SendRequest | ReceiveRequest): void {
    if (req.done) return;
    req.done = true;
    this.waiting--;
    req.settle?.(req as never);
  }

  /** Fail a request that was counted as waiting. */
  failWaiting<R extends SendRequest | ReceiveRequest>(req: R, error: MpiError): R {
    if (!req.done) this.waiting--;
    return failed(req, error);
  }
}

/** Mark `req` failed with `error` (once: a request that is done stays as it is). */
export function failed<R extends SendRequest | ReceiveRequest>(req: R, error: MpiError): R {
  if (req.done) return req;
  req.done = true;
  req.error = error;
  req.settle?.(req as never);
  return req;
}
