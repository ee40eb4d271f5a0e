/**
 * Payload codec. Typed arrays, ArrayBuffer and DataView travel as their raw
 * bytes with a one-byte kind, so they arrive as the same kind and length with
 * no serialisation; everything else goes through msgpackr with typed arrays
 * kept (its `moreTypes` extension).
 */
import { addExtension, Packr } from "msgpackr";
import { MpiError } from "../errors.ts";

export const PayloadKind = {
  OBJECT: 0,
  INT8: 1,
  UINT8: 2,
  UINT8_CLAMPED: 3,
  INT16: 4,
  UINT16: 5,
  INT32: 6,
  UINT32: 7,
  FLOAT32: 8,
  FLOAT64: 9,
  BIGINT64: 10,
  BIGUINT64: 11,
  ARRAY_BUFFER: 12,
  DATA_VIEW: 13,
} as const;

type TypedArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

export type AnyTypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** Largest payload a receive allocates: the u32 size field's range. */
export const MAX_PAYLOAD_BYTES = 0xffffffff;

/** Indexed by kind; OBJECT, ARRAY_BUFFER and DATA_VIEW have no element constructor. */
const constructors: (TypedArrayConstructor | undefined)[] = [
  undefined,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

// Records keep plain objects and Maps apart; without `sequential` or shared
// structures every packed message carries its own record definitions, so any
// decoder can read any frame in any order.
// A function has no bytes to send: msgpackr would write it as undefined (as
// JSON.stringify does), so the receiver would get a hole. Refuse it instead.
const packr = new Packr({ moreTypes: true, writeFunction: unsendable });

const FUNCTION = "a payload cannot carry a function; send the data it works on, or a name the receiver looks up";

// Shared memory inside a value (`{ buf: sab }`) would arrive as an empty object: refuse it at any depth, as at the top.
const SHARED = "a SharedArrayBuffer cannot travel as a value; send its bytes (new Uint8Array(sab)) or a typed array over it";
addExtension({
  Class: SharedArrayBuffer,
  write(): never {
    throw new Error(SHARED);
  },
});

function unsendable(): never {
  throw new Error(FUNCTION);
}

/** msgpack bytes of `data`; ERR_TYPE, naming the rank and the call, for what cannot travel (a function or a symbol, at any depth). */
function pack(data: unknown, rank: number | undefined): Uint8Array {
  // Its memory is shared, not copied: msgpack would send it as an empty object.
  if (data instanceof SharedArrayBuffer) throw new MpiError("ERR_PAYLOAD", `${rank === undefined ? "" : `rank ${rank}, `}send: ${SHARED}`);
  try {
    return packr.pack(data);
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    const problem =
      text === FUNCTION || text === SHARED
        ? text
        : /symbol/.test(text)
          ? "a payload cannot carry a symbol (it is unique to one thread); send a string instead"
          : `the payload cannot be encoded (${text}); send typed arrays, or plain values, arrays, objects, Maps, Sets and Dates`;
    // What cannot travel at all is a type error; anything else msgpack refuses is a payload error.
    const code = text === FUNCTION || /symbol/.test(text) ? "ERR_TYPE" : "ERR_PAYLOAD";
    throw new MpiError(code, `${rank === undefined ? "" : `rank ${rank}, `}send: ${problem}`, { cause: e });
  }
}

/** A new typed array of the kind named `name` ("Float64Array", …), or undefined for another name. */
export function newTypedArray(name: string, length: number): AnyTypedArray | undefined {
  for (const c of constructors) if (c && c.name === name) return new c(length);
  return undefined;
}

/** A new zeroed typed array of `kind` (by constructor: no species lookup, which Node's Buffer makes slow for `slice`), or undefined for kinds without elements. */
export function newOfKind(kind: number, length: number): AnyTypedArray | undefined {
  const c = constructors[kind];
  return c ? new c(length) : undefined;
}

/** The kind of a value; OBJECT for anything that is not raw bytes. */
export function kindOf(data: unknown): number {
  // Bytes first: the common case, and one instanceof where the general
  // test below reads `.constructor` (about 7 ns on Node 20). A Buffer is a
  // Uint8Array too and arrives as one.
  if (data instanceof Uint8Array) return PayloadKind.UINT8;
  if (ArrayBuffer.isView(data)) {
    if (data instanceof DataView) return PayloadKind.DATA_VIEW;
    // The exact constructor first (one comparison each, the common case);
    // then subclasses: Buffer is a Uint8Array and arrives as one.
    const ctor = (data as AnyTypedArray).constructor;
    for (let k = 1; k < constructors.length; k++) if (ctor === constructors[k]) return k;
    for (let k = 1; k < constructors.length; k++) if (data instanceof constructors[k]!) return k;
    return PayloadKind.OBJECT;
  }
  if (data instanceof ArrayBuffer) return PayloadKind.ARRAY_BUFFER;
  return PayloadKind.OBJECT;
}

/** Bytes of a raw-kind value as a Uint8Array view (no copy). */
export function rawBytes(data: ArrayBufferView | ArrayBuffer): Uint8Array {
  // A byte array is its own view: making a new one costs more than the rest of a small send.
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Encode a value: raw kinds as views on the caller's memory, objects through msgpack. */
export function encodePayload(data: unknown): { kind: number; bytes: Uint8Array } {
  const kind = kindOf(data);
  return { kind, bytes: payloadBytes(kind, data) };
}

/** The bytes that carry `data` of kind `kind` (from kindOf): no wrapper object, for the send path. `rank` is named in errors. */
export function payloadBytes(kind: number, data: unknown, rank?: number): Uint8Array {
  return kind === PayloadKind.OBJECT ? pack(data, rank) : rawBytes(data as ArrayBufferView);
}

/** The value in MessagePack bytes that came off the wire, or ERR_PAYLOAD (msgpackr's own errors never escape). */
function unpackObject(bytes: Uint8Array): unknown {
  try {
    return packr.unpack(bytes);
  } catch (e) {
    throw new MpiError("ERR_PAYLOAD", `a ${bytes.byteLength}-byte MessagePack payload could not be decoded (${(e as Error).message}); the sender's bytes were corrupted`, {
      cause: e,
    });
  }
}

/** Element size of a kind, so a receive buffer can be allocated from the header alone. */
export function elementBytes(kind: number): number {
  const c = constructors[kind];
  return c ? c.BYTES_PER_ELEMENT : 1;
}

/** Allocate the receive buffer a message of this kind and size needs; returns it and its byte view. */
export function allocateFor(kind: number, totalBytes: number): { value: unknown; bytes: Uint8Array } {
  // Sizes come from frame headers: checked before anything is allocated.
  if (!Number.isSafeInteger(totalBytes) || totalBytes < 0 || totalBytes > MAX_PAYLOAD_BYTES || kind > PayloadKind.DATA_VIEW)
    throw new MpiError("ERR_PAYLOAD", `a message of kind ${kind} and ${totalBytes} bytes cannot be received (at most ${MAX_PAYLOAD_BYTES} bytes); the header is corrupt`);
  const c = constructors[kind];
  if (c) {
    const value = new c(totalBytes / c.BYTES_PER_ELEMENT);
    return { value, bytes: new Uint8Array(value.buffer, 0, totalBytes) };
  }
  const buffer = new ArrayBuffer(totalBytes);
  const bytes = new Uint8Array(buffer);
  if (kind === PayloadKind.ARRAY_BUFFER) return { value: buffer, bytes };
  if (kind === PayloadKind.DATA_VIEW) return { value: new DataView(buffer), bytes };
  return { value: undefined, bytes };
}

/** A receive buffer a caller lends: a value of the message's kind over `bytes`, or undefined to allocate one. */
export type Lender = (kind: number, totalBytes: number) => { value: unknown; bytes: Uint8Array } | undefined;

/** A typed array of `kind` over the first `totalBytes` of `buffer`; undefined for kinds that are not typed arrays. */
export function typedView(kind: number, buffer: ArrayBuffer, totalBytes: number): { value: unknown; bytes: Uint8Array } | undefined {
  const c = constructors[kind];
  if (!c) return undefined;
  return { value: new c(buffer, 0, totalBytes / c.BYTES_PER_ELEMENT), bytes: new Uint8Array(buffer, 0, totalBytes) };
}

/** A typed array of `kind` over `totalBytes` of `buffer` at `byteOffset` (no copy); undefined for kinds that are not typed arrays. */
export function typedViewAt(kind: number, buffer: ArrayBufferLike, byteOffset: number, totalBytes: number): AnyTypedArray | undefined {
  const c = constructors[kind];
  return c ? new c(buffer as ArrayBuffer, byteOffset, totalBytes / c.BYTES_PER_ELEMENT) : undefined;
}

/** True when `totalBytes` is a whole number of elements of `kind`. */
export function sizeFitsKind(kind: number, totalBytes: number): boolean {
  return kind <= PayloadKind.DATA_VIEW && totalBytes % elementBytes(kind) === 0;
}

/** Turn received bytes (already owned by the receiver) into the value the sender sent. */
export function finishPayload(kind: number, value: unknown, bytes: Uint8Array): unknown {
  if (kind === PayloadKind.OBJECT) return bytes.byteLength === 0 ? undefined : unpackObject(bytes);
  return value;
}

/**
 * An owned copy of a byte view. Not `view.slice()`: transports may hand over
 * Node Buffers, whose `slice` is a view on the same memory (which the socket
 * then reuses), not a copy.
 */
export function copyBytes(view: Uint8Array): Uint8Array {
  const out = new Uint8Array(view.byteLength);
  out.set(view);
  return out;
}

/**
 * An owned copy of the `n` bytes at `start` in `from`. Small ones by a byte
 * loop: on Node 20 `subarray` costs about 35 ns and `set` 25, more than
 * moving a few dozen bytes one at a time.
 */
export function copyOut(from: Uint8Array, start: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (n <= 32) for (let i = 0; i < n; i++) out[i] = from[start + i]!;
  else out.set(from.subarray(start, start + n));
  return out;
}

/** An owned copy of any typed array, of the same kind (a Buffer becomes a plain Uint8Array). */
export function copyTypedArray<T extends ArrayBufferView>(v: T): T {
  if (v instanceof Uint8Array && v.constructor !== Uint8Array) return copyBytes(v) as unknown as T;
  return (v as unknown as { slice(): T }).slice();
}

/** Decode a frame payload that is only valid during the call into an owned value. */
export function decodeCopy(kind: number, view: Uint8Array): unknown {
  // Objects are copied out first too: msgpackr may keep views on its input,
  // and the input here is transport memory that is reused after the call.
  if (kind === PayloadKind.OBJECT) return view.byteLength === 0 ? undefined : unpackObject(copyBytes(view));
  const { value, bytes } = allocateFor(kind, view.byteLength);
  bytes.set(view);
  return value;
}
