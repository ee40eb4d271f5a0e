/** The tables every point-to-point benchmark prints: a summary per source, or OSU's own layout. */
import { formatOsu } from "./osu-text.ts";
import type { P2pResult, SizeResult } from "./results.ts";
import { formatBytes } from "./sizes.ts";
import { formatTable } from "./table.ts";

export function formatP2pResult(r: P2pResult): string {
  const header = `# ${r.source} ${r.source === "tsmpi" ? r.stamp.tsmpi : ""} point-to-point, np ${r.np} (${r.mode}), ${r.transport}, ${r.repeats} repeats, window ${r.window}, node ${r.stamp.node}, ${r.stamp.machine.cpus} cpus`;
  const bySize = new Map<number, { lat?: SizeResult; bw?: SizeResult; bibw?: SizeResult }>();
  const at = (bytes: number) => bySize.get(bytes) ?? bySize.set(bytes, {}).get(bytes)!;
  for (const x of r.latencyUs) at(x.bytes).lat = x;
  for (const x of r.bandwidthMBps) at(x.bytes).bw = x;
  for (const x of r.bibwMBps) at(x.bytes).bibw = x;
  const rows = [...bySize.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([bytes, s]) => [formatBytes(bytes), s.lat?.median, s.lat?.min, s.bw?.median, s.bw?.max, s.bibw?.median, s.bibw?.max]);
  const table = formatTable(
    [
      { title: "size", align: "left" },
      { title: "lat med us" },
      { title: "lat min us" },
      { title: "bw med MB/s", digits: 1 },
      { title: "bw best MB/s", digits: 1 },
      { title: "bibw med MB/s", digits: 1 },
      { title: "bibw best MB/s", digits: 1 },
    ],
    rows,
  );
  return `${header.replace(/ {2,}/g, " ")}\n${table}`;
}

/**
 * OSU's osu_latency, osu_bw and osu_bibw output, one table per test that
 * ran: the median over repeats (with `full`, the fastest and slowest repeat
 * too). Latency is OSU's half round trip in µs, bandwidth MB/s = 10^6 B/s.
 */
export function osuText(r: P2pResult, full = false): string {
  const notes = [
    `${r.source}${r.source === "tsmpi" ? ` ${r.stamp.tsmpi}` : ""}, ${r.transport}, ${r.np} ranks (${r.mode}), node ${r.stamp.node}, ${r.stamp.machine.cpus} cpus, load ${r.stamp.machine.load1.toFixed(2)}`,
    `median of ${r.repeats} repeats${full ? "; min and max over repeats" : ""}`,
  ];
  const rows = (xs: SizeResult[]) => xs.map((x) => ({ bytes: x.bytes, value: x.median, min: x.min, max: x.max, iterations: x.iterations }));
  const tables = [
    { test: "Latency", column: "Latency (us)", rows: rows(r.latencyUs) },
    { test: "Bandwidth", column: "Bandwidth (MB/s)", rows: rows(r.bandwidthMBps), notes: [`window size ${r.window}`] },
    { test: "Bi-Directional Bandwidth", column: "Bandwidth (MB/s)", rows: rows(r.bibwMBps), notes: [`window size ${r.window}`] },
  ];
  return tables
    .filter((t) => t.rows.length > 0)
    .map((t) => formatOsu({ ...t, notes: [...notes, ...(t.notes ?? [])], full }))
    .join("\n\n");
}
