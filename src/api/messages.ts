/**
 * What point-to-point calls resolve to (Status, Message), and the functions
 * that make those results from a completed core request: module-level, so no
 * closure is made per call.
 */
import { ANY_TAG, PROC_NULL } from "../constants.ts";
import type { ReceiveRequest } from "../core/requests.ts";
import { MpiError } from "../errors.ts";

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

/** What a send that completed at once returns (sharing one settled promise is safe: nobody can change it). */
export const RESOLVED: Promise<void> = Promise.resolve();

// What each kind of request resolves to; module-level so no closure is made per call.
export const finishVoid = (): undefined => undefined;
export const finishMessage = (r: ReceiveRequest): Message => ({ data: r.value, source: r.matchedSource, tag: r.matchedTag });
export const finishStatus = (r: ReceiveRequest): Status => ({ source: r.matchedSource, tag: r.matchedTag, bytes: r.totalBytes });
export const finishData = (r: ReceiveRequest): unknown => r.value;
export const finishBytes = (r: ReceiveRequest): number => r.totalBytes;
export const procNullStatus = (): Status => ({ source: PROC_NULL, tag: ANY_TAG, bytes: 0 });
export const procNullMessage = <T>(): Message<T> => ({ data: undefined as T, source: PROC_NULL, tag: ANY_TAG });

/** Any error thrown inside a call, as the MpiError the caller sees. */
export function asMpiError(e: unknown): MpiError {
  if (e instanceof MpiError) return e;
  return new MpiError("ERR_INTERNAL", e instanceof Error ? e.message : String(e), { cause: e });
}
