/**
 * Output in the OSU micro-benchmarks' own text layout, so scripts written for
 * `osu_latency`, `osu_bw`, `osu_bibw` and the collective tests read tsmpi's
 * numbers unchanged: a `# OSU MPI … Test vX` line, `#` comment lines, a
 * `# Size` header, then one row per size — the size in raw bytes
 * left-aligned in 10 columns, each figure right-aligned in 18 with two
 * decimals (OSU 7.x's `%-*d%*.*f`, FIELD_WIDTH 18, FLOAT_PRECISION 2). One
 * table per test. Lines that say what ran (tsmpi's version, transport,
 * repeats) are `#` comments after the title, where OSU puts its own notes.
 */

/** The OSU release whose layout this follows. */
export const OSU_LAYOUT_VERSION = "7.3";
const SIZE_WIDTH = 10;
const FIELD_WIDTH = 18;
const PRECISION = 2;

export interface OsuRow {
  bytes: number;
  /** The figure OSU prints (average latency, or bandwidth). */
  value: number;
  /** With `full`: the fastest and slowest repeat, and the iterations per repeat. */
  min?: number;
  max?: number;
  iterations?: number;
}

export interface OsuTable {
  /** "Latency", "Bandwidth", "Bi-Directional Bandwidth", "Allreduce Latency", … */
  test: string;
  /** Column title of the figure: "Latency (us)", "Bandwidth (MB/s)", "Avg Latency(us)". */
  column: string;
  rows: OsuRow[];
  /** Comment lines (without the leading "# "). */
  notes?: string[];
  /** OSU's -f (full) layout: min, max and iterations columns after the figure. */
  full?: boolean;
  /** A test with no sizes (osu_barrier): one row of figures, no size column. */
  sizeless?: boolean;
}

const field = (v: number): string => v.toFixed(PRECISION).padStart(FIELD_WIDTH);
// A title as wide as the field keeps one space before it, so whitespace-splitting readers still see separate words.
const title = (t: string): string => (t.length >= FIELD_WIDTH ? ` ${t}` : t.padStart(FIELD_WIDTH));

/** Min/max column titles the way OSU names them beside its figure column. */
function fullTitles(column: string): [string, string] {
  const m = /^(Avg )?(.*?)(\s*\(.*\))$/.exec(column);
  if (!m) return [`Min ${column}`, `Max ${column}`];
  return [`Min ${m[2]}${m[3]}`, `Max ${m[2]}${m[3]}`];
}

export function formatOsu(t: OsuTable): string {
  const lines = [`# OSU MPI ${t.test} Test v${OSU_LAYOUT_VERSION}`];
  for (const n of t.notes ?? []) lines.push(`# ${n}`);
  const [minTitle, maxTitle] = fullTitles(t.column);
  const extraTitles = t.full ? `${title(minTitle)}${title(maxTitle)}${"Iterations".padStart(12)}` : "";
  lines.push(t.sizeless ? `# ${t.column}${extraTitles}` : `${"# Size".padEnd(SIZE_WIDTH)}${title(t.column)}${extraTitles}`);
  for (const r of t.rows) {
    const extra = t.full ? `${field(r.min ?? r.value)}${field(r.max ?? r.value)}${String(r.iterations ?? "").padStart(12)}` : "";
    lines.push(t.sizeless ? `${field(r.value)}${extra}` : `${String(r.bytes).padEnd(SIZE_WIDTH)}${field(r.value)}${extra}`);
  }
  return lines.join("\n");
}

/** OSU's test names for tsmpi's collectives (osu_bcast is "Broadcast", osu_alltoall "All-to-All Personalized Exchange"). */
export const OSU_COLLECTIVE_TESTS: Record<string, string> = {
  barrier: "Barrier Latency",
  bcast: "Broadcast Latency",
  allreduce: "Allreduce Latency",
  allreduceInto: "Allreduce Latency",
  allgather: "Allgather Latency",
  alltoall: "All-to-All Personalized Exchange Latency",
  reduce: "Reduce Latency",
  gather: "Gather Latency",
  scatter: "Scatter Latency",
  reduceScatter: "Reduce_scatter Latency",
};
