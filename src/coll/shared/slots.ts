/**
 * What a data slot of the shared segment holds: a list of values written
 * by one member and read in place by the others. Layout (ints, then bytes):
 *   [0] count of values, or TOO_BIG when they did not fit
 *   [1] bytes the record needs (so every member learns the largest size)
 *   [2 + 3i ..] kind, byte offset (from the slot) and byte length of value i
 *   then the values' bytes, each 8-byte aligned (typed arrays are read in
 *   place as views, which needs their element alignment).
 * Typed arrays travel as raw bytes with the core's payload kinds, plain
 * numbers as one double, everything else as the core packs it (msgpack).
 */
import { decodeCopy, kindOf, PayloadKind, payloadBytes, typedViewAt } from "../../core/payload.ts";
import type { Bank } from "./bank.ts";

export const TOO_BIG = -1;
/** A plain JavaScript number, stored as one double (no packing for the commonest small value). */
const NUMBER = 100;

const kinds: number[] = [];
const raws: (Uint8Array | undefined)[] = [];

const align8 = (n: number): number => (n + 7) & ~7;

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
      const raw = payloadBytes(kind, v);
      kinds[i] = kind;
      raws[i] = raw;
      total += align8(raw.byteLength);
    }
  }
  const w = bank.words;
  const base = at >> 2;
  w[base + 1] = total;
  if (total > bank.slotBytes) {
    w[base] = TOO_BIG;
    raws.length = 0;
    return false;
  }
  w[base] = n;
  let off = align8(8 + 12 * n);
  for (let i = 0; i < n; i++) {
    const e = base + 2 + 3 * i;
    const raw = raws[i];
    w[e] = kinds[i]!;
    w[e + 1] = off;
    if (raw === undefined) {
      w[e + 2] = 8;
      bank.doubles[(at + off) >> 3] = values[i] as number;
      off += 8;
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
  raws.length = 0;
  return true;
}

/** Whether the slot at `at` holds its values (false: TOO_BIG). */
export function fits(bank: Bank, at: number): boolean {
  return bank.words[at >> 2] !== TOO_BIG;
}

/** Bytes the slot's record needed (whether or not it fit). */
export function neededBytes(bank: Bank, at: number): number {
  return bank.words[(at >> 2) + 1]!;
}

export function countOf(bank: Bank, at: number): number {
  return bank.words[at >> 2]!;
}

/** An owned copy of value `i` of the slot at `at`. */
export function readValue(bank: Bank, at: number, i: number): unknown {
  const e = (at >> 2) + 2 + 3 * i;
  const w = bank.words;
  const kind = w[e]!;
  const from = at + w[e + 1]!;
  if (kind === NUMBER) return bank.doubles[from >> 3];
  return decodeCopy(kind, bank.bytes.subarray(from, from + w[e + 2]!));
}

/** Value `i` as a typed-array view on the segment (no copy), or undefined when it is not a typed array. */
export function viewValue(bank: Bank, at: number, i: number): ArrayBufferView | undefined {
  const e = (at >> 2) + 2 + 3 * i;
  const w = bank.words;
  const kind = w[e]!;
  if (kind === NUMBER || kind === PayloadKind.OBJECT) return undefined;
  return typedViewAt(kind, bank.bytes.buffer, at + w[e + 1]!, w[e + 2]!);
}

/** Kind and byte length of value `i` (to see that every member passed the same shape). */
export function shapeOf(bank: Bank, at: number, i: number): number {
  const e = (at >> 2) + 2 + 3 * i;
  return bank.words[e]! * 0x10000000 + bank.words[e + 2]!;
}
