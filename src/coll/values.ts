/**
 * What collective algorithms carry besides user data: error markers (so a
 * mismatch found on one rank reaches every rank that depends on it, instead of
 * leaving the others waiting), value signatures (kind and length, agreed
 * before algorithms that split arrays), and small helpers on reducible values.
 */
import type { Channel } from "./channel.ts";
import { type AnyTypedArray, copyTypedArray } from "../core/payload.ts";
import { MpiError, type MpiErrorCode } from "../errors.ts";
import { isShapeDisagreement, type Op, reduceInPlace } from "./op.ts";

/** Key no program value uses: marks an error travelling through a collective. */
const ERROR_KEY = "\u0000tsmpi.error";
/** Key of a value signature (kind and length), exchanged before array-splitting algorithms. */
const SIGNATURE_KEY = "\u0000tsmpi.signature";

export interface ErrorMarker {
  [ERROR_KEY]: [MpiErrorCode, string];
}

export function errorMarker(e: unknown): ErrorMarker {
  if (e instanceof MpiError) return { [ERROR_KEY]: [e.code, e.message.replace(/^[A-Z_]+: /, "")] };
  return { [ERROR_KEY]: ["ERR_OP", `the reduction operation threw: ${e instanceof Error ? e.message : String(e)}`] };
}

export function isErrorMarker(v: unknown): v is ErrorMarker {
  return typeof v === "object" && v !== null && ERROR_KEY in v;
}

/** The MpiError a marker stands for, as seen by `rank` in `call`. */
export function markerError(m: ErrorMarker, rank: number, call: string): MpiError {
  const [code, message] = m[ERROR_KEY];
  return new MpiError(code, `rank ${rank}, ${call}: ${message}`);
}

/**
 * Throws the marker's error when `v` is one; otherwise returns `v`. A
 * mismatch (ranks' values of different kinds or counts) breaks the
 * communicator and tells every member (guard.ts), so ranks whose result did
 * not depend on the culprit's value fail too, at their next collective.
 */
export function unwrap<T>(v: unknown, comm: Channel, call: string): T {
  if (!isErrorMarker(v)) return v as T;
  throw failWith(comm, markerError(v, comm.rank, call));
}

/** The error a collective rejects with: a mismatch first breaks the communicator (and may have been found before). */
export function failWith(comm: Channel, e: MpiError): MpiError {
  if (e.code !== "ERR_COLL_MISMATCH" || !comm.mismatched) return e;
  comm.mismatched(e);
  return comm.brokenCall?.() ?? e;
}

export interface Signature {
  [SIGNATURE_KEY]: string;
}

export function isSignature(v: unknown): v is Signature {
  return typeof v === "object" && v !== null && SIGNATURE_KEY in v;
}

/** Kind and length of a reducible value, e.g. "Float64Array:1024" or "number". */
export function signatureOf(v: unknown): Signature {
  return { [SIGNATURE_KEY]: describe(v) };
}

export function describe(v: unknown): string {
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}:${(v as unknown as ArrayLike<unknown>).length}`;
  if (Array.isArray(v)) return `Array:${v.length}`;
  if (v === null) return "null";
  if (typeof v === "object") return "pair";
  return typeof v;
}

/** Combine two signatures: equal ones stay, different ones become an ERR_COUNT or ERR_OP marker. */
export function combineSignatures(a: unknown, b: unknown): Signature | ErrorMarker {
  if (isErrorMarker(a)) return a;
  if (isErrorMarker(b)) return b;
  const sa = isSignature(a) ? a[SIGNATURE_KEY] : describe(a);
  const sb = isSignature(b) ? b[SIGNATURE_KEY] : describe(b);
  if (sa === sb) return isSignature(a) ? a : { [SIGNATURE_KEY]: sa };
  return mismatch(sa, sb);
}

/** Ranks passed values of different kinds or lengths: their calls disagree (ERR_COLL_MISMATCH, as the checked collectives say). */
function mismatch(sa: string, sb: string): ErrorMarker {
  const [ka, la] = sa.split(":");
  const [kb, lb] = sb.split(":");
  const what = ka === kb && la !== lb ? `arrays of different lengths (${la} and ${lb})` : `values of different kinds (${ka} and ${kb})`;
  return { [ERROR_KEY]: ["ERR_COLL_MISMATCH", `ranks pass ${what}; every rank must pass the same kind and count`] };
}

/**
 * Reduce `other` into `acc` and return the result, turning any failure (or a
 * marker or signature arriving from a peer) into a marker. `otherIsLower`
 * says `other` covers lower ranks than `acc`, which matters for
 * non-commutative ops. `acc` must be owned by the algorithm: arrays are
 * combined in place.
 */
export function combine(op: Op, acc: unknown, other: unknown, otherIsLower: boolean): unknown {
  if (isErrorMarker(acc)) return acc;
  if (isErrorMarker(other)) return other;
  if (isSignature(other) || isSignature(acc)) return combineSignatures(acc, other);
  try {
    return reduceInPlace(op, acc, other, otherIsLower);
  } catch (e) {
    if (!isShapeDisagreement(e)) return errorMarker(e);
    // Values of different kinds or lengths met: the ranks' calls disagree.
    return { [ERROR_KEY]: ["ERR_COLL_MISMATCH", `${(e as Error).message.replace(/^[A-Z_]+: /, "").replace(/ everywhere$/, "")} on every rank`] };
  }
}

/**
 * A private copy of a reducible value, so in-place reduction never touches the
 * caller's data. Shallow, and of the same kind: a user op over Maps, Sets,
 * Dates or class instances gets what it was written for (a spread would turn
 * each into a plain object with none of its entries or methods).
 */
export function ownCopy<T>(v: T): T {
  if (typeof v !== "object" || v === null) return v;
  if (ArrayBuffer.isView(v)) return copyTypedArray(v);
  if (Array.isArray(v)) return v.slice() as T;
  if (v instanceof Map) return new Map(v) as T;
  if (v instanceof Set) return new Set(v) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  return Object.assign(Object.create(Object.getPrototypeOf(v)), v);
}

/** Approximate size in bytes of a value, for algorithm selection. */
export function byteSize(v: unknown): number {
  if (ArrayBuffer.isView(v)) return v.byteLength;
  if (v instanceof ArrayBuffer) return v.byteLength;
  if (Array.isArray(v)) return v.length * 8;
  if (typeof v === "string") return v.length;
  return 8;
}

/** Typed arrays that ring/Rabenseifner/scatter-allgather can split into blocks. */
export type NumericArray = AnyTypedArray;

export function isNumericArray(v: unknown): v is NumericArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** First element of block `i` when `length` elements are cut into `blocks` near-equal blocks. */
export function blockStart(length: number, blocks: number, i: number): number {
  return Math.floor((length * i) / blocks);
}

/** Bytes of a typed array as a view (no copy), for receiving into. */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
