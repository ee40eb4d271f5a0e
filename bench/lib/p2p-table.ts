/** The per-source table every point-to-point benchmark prints (one row per size). */
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
