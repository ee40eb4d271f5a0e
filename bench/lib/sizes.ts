/**
 * Message sizes and iteration counts shared by every point-to-point
 * benchmark (tsmpi, the raw SharedArrayBuffer baseline and the Open MPI
 * program use the same numbers, so their rows line up).
 */

const units: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1 << 20, mb: 1 << 20, mib: 1 << 20 };

/** Parses "8", "64K", "1MiB", "4m" into bytes. */
export function parseBytes(text: string): number {
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? units[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new RangeError(`not a byte count: "${text}" (write e.g. 8, 64K, 1M)`);
  return Number(m[1]) * unit;
}

/** 0 (when `from` is 0), then every power of two from max(1, from) up to `to`. */
export function powersOfTwo(from: number, to: number): number[] {
  const out: number[] = [];
  if (from === 0) out.push(0);
  for (let s = Math.max(1, from); s <= to; s *= 2) out.push(s);
  return out;
}

/**
 * A size list: "0:4M" (powers of two between two bounds), "8,1K,1M" (a
 * list), or a mix such as "0:64,1M".
 */
export function parseSizes(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    if (part.trim() === "") continue;
    const range = part.split(":");
    if (range.length === 2) for (const s of powersOfTwo(parseBytes(range[0]!), parseBytes(range[1]!))) out.add(s);
    else if (range.length === 1) out.add(parseBytes(part));
    else throw new RangeError(`not a size range: "${part}" (write from:to, e.g. 0:4M)`);
  }
  if (out.size === 0) throw new RangeError(`no sizes in "${text}"`);
  return [...out].sort((a, b) => a - b);
}

/** The OSU default sweep: 0 B to 4 MiB. */
export const defaultSizes = powersOfTwo(0, 4 << 20);

/**
 * Ping-pong round trips per repeat: many for small messages (a 1 µs
 * operation needs thousands to rise above timer and scheduling noise), fewer
 * for large ones, like OSU's `-i`/`-x` split at 8 KiB. Estimate, tuned so a
 * repeat takes tens of milliseconds on a laptop-class core.
 */
export function latencyIterations(bytes: number, scale = 1): number {
  const base = bytes <= 8192 ? 2000 : bytes <= 65536 ? 400 : bytes <= 1 << 20 ? 60 : 20;
  return Math.max(2, Math.round(base * scale));
}

/** Windows of `window` messages per bandwidth repeat (same reasoning as latencyIterations; estimate). */
export function bandwidthWindows(bytes: number, scale = 1): number {
  const base = bytes <= 8192 ? 40 : bytes <= 65536 ? 10 : bytes <= 1 << 20 ? 3 : 2;
  return Math.max(1, Math.round(base * scale));
}

/** Human form of a byte count for tables: 0, 8, 64K, 1M. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)}M`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024}K`;
  return String(bytes);
}
