/**
 * Reading a NAS kernel's verdict from its output: the last line of the form
 * `RESULT {json}` (bench/nas/common/report.ts prints it on rank 0 only).
 */
import type { NasResult } from "../nas/common/report.ts";

/** Parses one `RESULT {...}` line; undefined when the line is not one or its JSON lacks the fields. */
export function parseResultLine(line: string): NasResult | undefined {
  const m = /^(?:\[\d+\]\s*)?RESULT\s+(\{.*\})\s*$/.exec(line);
  if (!m) return undefined;
  let v: Partial<NasResult>;
  try {
    v = JSON.parse(m[1]!) as Partial<NasResult>;
  } catch {
    return undefined;
  }
  if (
    typeof v !== "object" ||
    v === null ||
    typeof v.kernel !== "string" ||
    typeof v.class !== "string" ||
    typeof v.np !== "number" ||
    typeof v.time !== "number" ||
    typeof v.mops !== "number" ||
    typeof v.verified !== "boolean"
  )
    return undefined;
  return { kernel: v.kernel, class: v.class, np: v.np, time: v.time, mops: v.mops, verified: v.verified, values: v.values ?? {} };
}

/**
 * The last RESULT line among `lines`. With tagged output (`[rank] ...`) only
 * rank 0's lines count, as only rank 0 reports.
 */
export function lastResult(lines: readonly string[]): NasResult | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const tag = /^\[(\d+)\]/.exec(line);
    if (tag && tag[1] !== "0") continue;
    const r = parseResultLine(line);
    if (r) return r;
  }
  return undefined;
}
