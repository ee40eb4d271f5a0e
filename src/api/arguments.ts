/**
 * Argument checks of a communicator's calls: a mistake fails at the call that
 * made it, with an MpiError naming the rank, the call and the fix, never in
 * later traffic.
 */
import { rawBytes } from "../core/payload.ts";
import { ANY_SOURCE, ANY_TAG, PROC_NULL, TAG_UB } from "../constants.ts";
import { MpiError } from "../errors.ts";

/** What the checks need to know of the communicator. */
interface Where {
  readonly rank: number;
  readonly size: number;
}

export function argumentError(where: Where, code: MpiError["code"], call: string, problem: string, fix: string): MpiError {
  return new MpiError(code, `rank ${where.rank}, ${call}: ${problem}; ${fix}`);
}

// The checks below run on every send and receive: each is kept small enough
// for V8 to inline into its caller, with the error built out of line.

/** Throws ERR_RANK unless `r` is a member (or PROC_NULL / ANY_SOURCE where allowed). */
export function checkRank(where: Where, r: number, call: string, allowProcNull: boolean, allowAny = false): void {
  if (Number.isInteger(r) && r >= 0 && r < where.size) return;
  if (allowProcNull && r === PROC_NULL) return;
  if (allowAny && r === ANY_SOURCE) return;
  throw rankError(where, r, call, allowProcNull, allowAny);
}

function rankError(where: Where, r: number, call: string, allowProcNull: boolean, allowAny: boolean): MpiError {
  return argumentError(
    where,
    "ERR_RANK",
    call,
    `rank ${String(r)} is not in this communicator of size ${where.size}`,
    `use 0..${where.size - 1}${allowProcNull ? ", PROC_NULL" : ""}${allowAny ? " or ANY_SOURCE" : ""}`,
  );
}

/** A collective's root: a rank of this communicator, else ERR_ROOT (MPI's error class for it). */
export function checkRoot(where: Where, root: number, call: string): void {
  if (Number.isInteger(root) && root >= 0 && root < where.size) return;
  throw argumentError(where, "ERR_ROOT", call, `root ${String(root)} is not a rank of this communicator of size ${where.size}`, `pass a root in 0..${where.size - 1}, the same on every rank`);
}

/** checkRoot for a call that returns a promise: a rejected one for a bad root, else undefined. */
export function rootChecked(where: Where, root: number, call: string): Promise<never> | undefined {
  if (Number.isInteger(root) && root >= 0 && root < where.size) return undefined;
  try {
    checkRoot(where, root, call);
  } catch (e) {
    return Promise.reject(e);
  }
  return undefined;
}

export function checkTag(where: Where, t: number, call: string, allowAny: boolean): void {
  if (Number.isInteger(t) && t >= 0 && t <= TAG_UB) return;
  if (allowAny && t === ANY_TAG) return;
  throw tagError(where, t, call, allowAny);
}

function tagError(where: Where, t: number, call: string, allowAny: boolean): MpiError {
  return argumentError(where, "ERR_TAG", call, `tag ${String(t)} is not valid`, `use 0..TAG_UB${allowAny ? " or ANY_TAG" : ""}`);
}

/** The bytes of a buffer argument; ERR_ARG for anything that is not a typed array, ArrayBuffer or DataView. */
export function checkBuffer(where: Where, buf: unknown, call: string): Uint8Array {
  if (ArrayBuffer.isView(buf) || buf instanceof ArrayBuffer) return rawBytes(buf as ArrayBufferView | ArrayBuffer);
  throw bufferError(where, buf, call);
}

function bufferError(where: Where, buf: unknown, call: string): MpiError {
  return argumentError(
    where,
    "ERR_ARG",
    call,
    `expected a typed array, ArrayBuffer or DataView, got ${buf === null ? "null" : typeof buf}`,
    "pass a buffer, or use recv() for objects",
  );
}
