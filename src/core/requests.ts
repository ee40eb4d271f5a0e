/**
 * The state of one point-to-point operation as the core tracks it. A
 * `Request` (src/api/request.ts) wraps these for programs.
 */
import type { MpiError } from "../api/errors.ts";
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

export function newReceiveRequest(
  context: MatchingContext<ReceiveRequest>,
  source: number,
  tag: number,
  into: Uint8Array | undefined,
  lend: Lender | undefined,
): ReceiveRequest {
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

export function newSendRequest(worldDest: number, payload: Uint8Array): SendRequest {
  return { done: false, error: undefined, settle: undefined, worldDest, payload, pendingFrames: 1 };
}

/**
 * What a send that the transport took at once returns: complete, shared by
 * all such sends, and never changed (a request that is done is never settled
 * or failed again).
 */
export const SENT: SendRequest = { done: true, error: undefined, settle: undefined, worldDest: -1, payload: new Uint8Array(0), pendingFrames: 0 };
