/**
 * A profile file straight to its graph, for large profiles: `tsmpi map` on
 * 4096 ranks reads 67 MB of JSON holding 33 M counts, nearly all zero.
 * Decoding it to a string and JSON.parse would build 8192 arrays of 4096
 * numbers, check them and throw them away; this scans the file's bytes once
 * (JSON's syntax is ASCII) and keeps only the nonzero cells.
 * It accepts exactly what `tsmpi profile` writes (the keys np, bytes and
 * messages, in any order and spacing, plain decimal counts); anything else,
 * including every invalid profile, returns undefined, and the caller takes
 * the general path (JSON.parse + parseProfile), which names each problem.
 */
import { profileFromText, readProfileFile } from "../profile.ts";
import { type CommGraph, graphFromProfile, graphFromTraffic, type Traffic } from "./graph.ts";

/** Nonzero cells of one matrix, row-major: key = row · np + column (np known at the end). */
interface Cells {
  rows: number;
  widths: number[];
  row: number[];
  col: number[];
  value: number[];
}

const C = { SPACE: 32, TAB: 9, LF: 10, CR: 13, COMMA: 44, OPEN: 91, CLOSE: 93, QUOTE: 34, COLON: 58, BRACE: 123, END: 125, ZERO: 48, NINE: 57 };

/** Where a number's token ends. */
const STOP = new Set([C.COMMA, C.CLOSE, C.END, C.SPACE, C.LF, C.CR, C.TAB]);
const latin1 = (s: Uint8Array, from: number, to: number): string => Buffer.from(s.buffer, s.byteOffset + from, to - from).toString("latin1");

/** A non-negative number in JSON's grammar. */
const JSON_NUMBER = /^(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;

class Scanner {
  i = 0;
  readonly s: Uint8Array;
  constructor(s: Uint8Array) {
    this.s = s;
  }
  space(): void {
    const s = this.s;
    let c = s[this.i];
    while (c === C.SPACE || c === C.LF || c === C.CR || c === C.TAB) c = s[++this.i];
  }
  take(code: number): boolean {
    this.space();
    if (this.s[this.i] !== code) return false;
    this.i++;
    return true;
  }
  /** A count: plain digits, or a number as JSON writes it (fraction, exponent: 1e+21); NaN for anything else or negative. */
  count(): number {
    this.space();
    const s = this.s;
    const start = this.i;
    let v = 0;
    let c = s[this.i];
    while (c >= C.ZERO && c <= C.NINE) {
      v = v * 10 + (c - C.ZERO);
      c = s[++this.i];
    }
    const digits = this.i - start;
    const plain = c === C.COMMA || c === C.CLOSE || c === C.END || c === C.SPACE || c === C.LF || c === C.CR || c === C.TAB;
    if (digits > 0 && plain && (digits === 1 || s[start] !== C.ZERO)) return digits > 15 ? Number(latin1(s, start, this.i)) : v;
    while (this.i < s.length && !STOP.has(s[this.i]!)) this.i++;
    const token = latin1(s, start, this.i);
    return JSON_NUMBER.test(token) ? Number(token) : Number.NaN;
  }
  key(): string | undefined {
    if (!this.take(C.QUOTE)) return undefined;
    const end = this.s.indexOf(C.QUOTE, this.i);
    if (end < 0) return undefined;
    const k = latin1(this.s, this.i, end);
    this.i = end + 1;
    return this.take(C.COLON) ? k : undefined;
  }
  matrix(): Cells | undefined {
    const m: Cells = { rows: 0, widths: [], row: [], col: [], value: [] };
    if (!this.take(C.OPEN)) return undefined;
    if (this.take(C.CLOSE)) return m;
    do {
      if (!this.take(C.OPEN)) return undefined;
      let b = 0;
      if (!this.take(C.CLOSE)) {
        do {
          const x = this.count();
          if (Number.isNaN(x)) return undefined;
          if (x !== 0) {
            m.row.push(m.rows);
            m.col.push(b);
            m.value.push(x);
          }
          b++;
        } while (this.take(C.COMMA));
        if (!this.take(C.CLOSE)) return undefined;
      }
      m.widths.push(b);
      m.rows++;
    } while (this.take(C.COMMA));
    return this.take(C.CLOSE) ? m : undefined;
  }
}

/** The graph of a valid profile's JSON (its UTF-8 bytes), or undefined when the text is anything else (see above). */
export function scanProfileGraph(text: Uint8Array): CommGraph | undefined {
  const sc = new Scanner(text);
  if (!sc.take(C.BRACE)) return undefined;
  let np: number | undefined;
  let bytes: Cells | undefined;
  let messages: Cells | undefined;
  do {
    const k = sc.key();
    if (k === "np" && np === undefined) np = sc.count();
    else if (k === "bytes" && !bytes) bytes = sc.matrix();
    else if (k === "messages" && !messages) messages = sc.matrix();
    else return undefined;
  } while (sc.take(C.COMMA));
  if (!sc.take(C.END)) return undefined;
  sc.space();
  if (sc.i !== text.length || np === undefined || !Number.isInteger(np) || np < 1 || !bytes || !messages) return undefined;
  for (const m of [bytes, messages]) if (m.rows !== np || m.widths.some((w) => w !== np)) return undefined;
  if (messages.value.some((x) => !Number.isInteger(x))) return undefined;
  // Merge the two row-major lists; a pair with bytes but no messages is invalid.
  const traffic: Traffic[] = [];
  let i = 0;
  let j = 0;
  while (i < bytes.value.length || j < messages.value.length) {
    const kb = i < bytes.value.length ? bytes.row[i]! * np + bytes.col[i]! : Number.POSITIVE_INFINITY;
    const km = j < messages.value.length ? messages.row[j]! * np + messages.col[j]! : Number.POSITIVE_INFINITY;
    if (kb < km) return undefined;
    const from = messages.row[j]!;
    const to = messages.col[j]!;
    traffic.push({ from, to, messages: messages.value[j++]!, bytes: kb === km ? bytes.value[i++]! : 0 });
  }
  return graphFromTraffic(np, traffic);
}

/** The graph of a profile file: scanned when it is as tsmpi profile writes it, else parsed and checked in full. */
export function loadProfileGraph(file: string): CommGraph {
  const bytes = readProfileFile(file);
  return scanProfileGraph(bytes) ?? graphFromProfile(profileFromText(bytes.toString("utf8"), file));
}
