/**
 * What a data slot of the shared segment holds: a list of values written
 * by one member and read in place by the others. Layout (ints, then bytes):
 *   [0] count of values, or TOO_BIG when they did not fit, or EXPOSED
 *   [1] bytes the record needs (so every member learns the largest size)
 *   [2 + 3i ..] kind, byte offset (from the slot) and byte length of value i
 *   then the values' bytes, each 8-byte aligned (typed arrays are read in
 *   place as views, which needs their element alignment).
 * Typed arrays travel as raw bytes with the core's payload kinds, plain
 * numbers as one double, everything else as the core packs it (msgpack).
 */
import { Buffer } from "node:buffer";
import { type AnyTypedArray, decodeCopy, kindOf, newOfKind, PayloadKind, payloadBytes, typedViewAt } from "../../core/payload.ts";
import { type Bank, VIEW_KEYS } from "./bank.ts";

export const TOO_BIG = -1;
/**
 * One typed array too big for the slot, left where it is: the slot holds
 * [2] its kind, [3] its byte length and [4, 5] its address (low, high
 * words), and readers copy it straight out of the writer's memory (single
 * copy, as coll/sm with XPMEM or CMA). [6, 7] may hold the address of a
 * second array of that shape (exposed.ts: where the writer puts its result).
 * The writer keeps them alive until every member finished reading.
 */
const EXPOSED = -2;
/** A plain JavaScript number, stored as one double (no packing for the commonest small value). */
const NUMBER = 100;

/** Up to this many elements a loop copies them (a view and `set` cost more for a few). */
const LOOP_ELEMENTS = 16;

const kinds: number[] = [];
/** Each value's byte length, from writeValues' first pass. */
const sizes: number[] = [];
const raws: (Uint8Array | undefined)[] = [];

const align8 = (n: number): number => (n + 7) & ~7;

/**
 * The whole segment as a typed array of `kind`, made once per bank and kind;
 * null for kinds that are not typed arrays. Values start 8-byte aligned, so
 * every kind's elements are aligned, and a typed value is written with one
 * `set` and read with one `slice`: no byte view per value (a small
 * collective's allocations were most of its garbage-collection time).
 */
function whole(bank: Bank, kind: number): AnyTypedArray | null {
  let a = bank.wholes[kind];
  if (a === undefined) {
    const buffer = bank.bytes.buffer;
    a = typedViewAt(kind, buffer, 0, buffer.byteLength - (buffer.byteLength % 8)) ?? null;
    bank.wholes[kind] = a;
  }
  return a;
}

/**
 * Let the values' byte views go (they hold the values): by a loop, not by
 * truncating the list (regrowing it would allocate) nor `fill` (a call into
 * the runtime, measured at about 1% of a small bcast).
 */
function drop(n: number): void {
  for (let i = 0; i < n; i++) raws[i] = undefined;
}

/**
 * Write `values` into the slot at byte `at`; false (and the slot marked
 * TOO_BIG with the size needed) when they do not fit.
 */
export function writeValues(bank: Bank, at: number, values: ArrayLike<unknown>): boolean {
  const n = values.length;
  let total = align8(8 + 12 * n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === "number") {
      kinds[i] = NUMBER;
      raws[i] = undefined;
      total += 8;
    } else {
      const kind = kindOf(v);
      kinds[i] = kind;
      if (kind !== PayloadKind.OBJECT && whole(bank, kind) !== null) {
        raws[i] = undefined;
        const bytes = (v as ArrayBufferView).byteLength;
        sizes[i] = bytes;
        total += align8(bytes);
      } else {
        const raw = payloadBytes(kind, v);
        raws[i] = raw;
        sizes[i] = raw.byteLength;
        total += align8(raw.byteLength);
      }
    }
  }
  const w = bank.words;
  const base = at >> 2;
  w[base + 1] = total;
  if (total > bank.slotBytes) {
    w[base] = TOO_BIG;
    drop(n);
    return false;
  }
  w[base] = n;
  let off = align8(8 + 12 * n);
  for (let i = 0; i < n; i++) {
    const e = base + 2 + 3 * i;
    const raw = raws[i];
    const kind = kinds[i]!;
    w[e] = kind;
    w[e + 1] = off;
    if (kind === NUMBER) {
      w[e + 2] = 8;
      bank.doubles[(at + off) >> 3] = values[i] as number;
      off += 8;
    } else if (raw === undefined) {
      const v = values[i] as AnyTypedArray;
      const a = whole(bank, kind)!;
      // The byte length as the first pass read it: a typed array's getters are calls where the kinds seen vary.
      const bytes = sizes[i]!;
      const per = a.BYTES_PER_ELEMENT;
      w[e + 2] = bytes;
      const to = (at + off) / per;
      const count = bytes / per;
      // A loop beats `set` (a builtin call with its checks) for a few elements.
      if (count <= LOOP_ELEMENTS) for (let j = 0; j < count; j++) a[to + j] = v[j]!;
      else a.set(v as never, to);
      off += align8(bytes);
    } else {
      const len = raw.byteLength;
      w[e + 2] = len;
      const to = at + off;
      // A loop beats `set` for a few bytes (as the rings measured: up to 8).
      if (len <= 8) for (let j = 0; j < len; j++) bank.bytes[to + j] = raw[j]!;
      else bank.bytes.set(raw, to);
      off += align8(len);
    }
  }
  drop(n);
  return true;
}

/** Whether the slot at `at` holds its values (false: TOO_BIG or EXPOSED). */
export function fits(bank: Bank, at: number): boolean {
  return bank.words[at >> 2]! >= 0;
}

/**
 * After writeValues found `value` too big: expose it instead when it is a
 * typed array and the segment can copy between ranks; true when exposed.
 */
export function writeExposed(bank: Bank, at: number, value: unknown, second?: ArrayBufferView): boolean {
  const address = bank.segment.address;
  if (!address || !ArrayBuffer.isView(value) || value instanceof DataView) return false;
  const kind = kindOf(value);
  if (kind === PayloadKind.OBJECT || whole(bank, kind) === null) return false;
  const w = bank.words;
  const base = at >> 2;
  const put = (i: number, view: ArrayBufferView): void => {
    const a = address(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    w[base + i] = Number(a & 0xffffffffn) | 0;
    w[base + i + 1] = Number(a >> 32n) | 0;
  };
  w[base + 2] = kind;
  w[base + 3] = value.byteLength;
  put(4, value);
  if (second) put(6, second);
  w[base] = EXPOSED;
  return true;
}

/** Kind and byte length of the exposed value of the slot at `at` (as shapeOf), or -1 when the slot exposes none. */
export function exposedShape(bank: Bank, at: number): number {
  const base = at >> 2;
  const w = bank.words;
  return w[base] === EXPOSED ? w[base + 2]! * 0x10000000 + w[base + 3]! : -1;
}

/** The address of the exposed value of the slot at `at` (or of its second array), plus `offset` bytes. */
export function exposedAddress(bank: Bank, at: number, second: boolean, offset: number): bigint {
  const i = (at >> 2) + (second ? 6 : 4);
  const w = bank.words;
  return ((BigInt(w[i + 1]! >>> 0) << 32n) | BigInt(w[i]! >>> 0)) + BigInt(offset);
}

/** The exposed value of the slot at `at`, copied out of its writer's memory; undefined when the slot holds no exposed value. */
export function readExposed(bank: Bank, at: number): unknown {
  const w = bank.words;
  const base = at >> 2;
  if (w[base] !== EXPOSED) return undefined;
  const kind = w[base + 2]!;
  const bytes = w[base + 3]!;
  const a = whole(bank, kind)!;
  const C = a.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => AnyTypedArray;
  // Every byte is copied in: memory not zeroed first (as coll/index.ts newLike).
  const value = new C(Buffer.allocUnsafeSlow(bytes).buffer, 0, bytes / a.BYTES_PER_ELEMENT);
  bank.segment.copyFrom!(exposedAddress(bank, at, false, 0), new Uint8Array(value.buffer, value.byteOffset, bytes));
  return value;
}

/** Bytes the slot's record needed (whether or not it fit). */
export function neededBytes(bank: Bank, at: number): number {
  return bank.words[(at >> 2) + 1]!;
}

export function countOf(bank: Bank, at: number): number {
  return bank.words[at >> 2]!;
}

/** An owned copy of value `i` of the slot at `at` (of its exposed value, copied out of the writer's memory). */
export function readValue(bank: Bank, at: number, i: number): unknown {
  const e = (at >> 2) + 2 + 3 * i;
  const w = bank.words;
  if (w[at >> 2] === EXPOSED) return readExposed(bank, at);
  const kind = w[e]!;
  const from = at + w[e + 1]!;
  if (kind === NUMBER) return bank.doubles[from >> 3];
  const a = kind === PayloadKind.OBJECT ? null : whole(bank, kind);
  if (a !== null) return copyOut(bank, a, kind, from, w[e + 2]!);
  return decodeCopy(kind, new Uint8Array(bank.bytes.buffer, from, w[e + 2]!));
}

/**
 * A copy of `bytes` bytes at byte `from` as a new typed array of `kind`:
 * made by its constructor, never by `slice` or `subarray`, which look up
 * the species constructor on every call (Node's Buffer defeats V8's fast
 * path for it: a property lookup that cost more than the copy).
 */
function copyOut(bank: Bank, a: AnyTypedArray, kind: number, from: number, bytes: number): AnyTypedArray {
  const per = a.BYTES_PER_ELEMENT;
  const n = bytes / per;
  const out = newOfKind(kind, n)!;
  const start = from / per;
  if (n <= LOOP_ELEMENTS) for (let j = 0; j < n; j++) out[j] = a[start + j]!;
  else out.set(typedViewAt(kind, bank.bytes.buffer, from, bytes) as never);
  return out;
}

/** The first value as a typed-array view on the segment (no copy; kept per slot while its shape holds), or undefined when it is not a typed array. */
export function viewValue(bank: Bank, at: number): ArrayBufferView | undefined {
  const e = (at >> 2) + 2;
  const w = bank.words;
  const kind = w[e]!;
  if (kind === NUMBER || kind === PayloadKind.OBJECT) return undefined;
  const a = whole(bank, kind);
  if (a === null) return undefined;
  const from = at + w[e + 1]!;
  const length = w[e + 2]! / a.BYTES_PER_ELEMENT;
  // Keyed by a hash of the slot's offset: two slots that share a key only cost a new view.
  const key = (at >>> 6) % VIEW_KEYS;
  const kept = bank.views[key];
  if (kept !== undefined && kept.byteOffset === from && kept.length === length && kept.constructor === a.constructor) return kept;
  const view = typedViewAt(kind, bank.bytes.buffer, from, length * a.BYTES_PER_ELEMENT)!;
  bank.views[key] = view;
  return view;
}

/** Kind and byte length of value `i` (to see that every member passed the same shape). */
export function shapeOf(bank: Bank, at: number, i: number): number {
  const e = (at >> 2) + 2 + 3 * i;
  return bank.words[e]! * 0x10000000 + bank.words[e + 2]!;
}
