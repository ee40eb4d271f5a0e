/** `--stats`: the counters every rank's transports and every job process (bridge) reported, as a table. */
import type { SimStats } from "../engine/sim/run-sim.ts";

export interface JobStats {
  /** rank → transport name → counters (reported with each rank's "done"). */
  ranks: Record<number, Record<string, Record<string, number>>>;
  /** process name (e.g. "bridge host0") → counters. */
  processes: Record<string, Record<string, number>>;
  /** Connections to the control plane dropped for failing authentication. */
  strangers: number;
}

function table(title: string, rows: [string, Record<string, number>][]): string[] {
  if (rows.length === 0) return [];
  const keys = [...new Set(rows.flatMap(([, c]) => Object.keys(c)))];
  const first = Math.max(title.length, ...rows.map(([n]) => n.length));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map(([, c]) => String(c[k] ?? "").length)));
  const lines = [`${title.padEnd(first)}  ${keys.map((k, i) => k.padStart(widths[i]!)).join("  ")}`];
  for (const [name, c] of rows) lines.push(`${name.padEnd(first)}  ${keys.map((k, i) => String(c[k] ?? "").padStart(widths[i]!)).join("  ")}`);
  return lines;
}

export function formatStats(s: JobStats): string {
  const lines = ["tsmpi: --stats"];
  const byTransport = new Map<string, [string, Record<string, number>][]>();
  for (const [rank, ts] of Object.entries(s.ranks))
    for (const [name, c] of Object.entries(ts)) {
      let rows = byTransport.get(name);
      if (!rows) byTransport.set(name, (rows = []));
      rows.push([`rank ${rank}`, c]);
    }
  for (const [name, rows] of byTransport) lines.push(...table(`${name}`, rows), "");
  lines.push(...table("process", Object.entries(s.processes)));
  lines.push(`control plane: ${s.strangers} stranger connection(s) dropped`);
  return lines.join("\n");
}

/** `--stats` in the simulator: virtual time, events, frames and their rate, memory, and the busiest resources. */
export function formatSimStats(s: SimStats): string {
  const lines = [
    "tsmpi: --stats (simulator)",
    `model ${s.model}: virtual time ${s.virtualSeconds.toPrecision(6)} s, ${s.events} events, ${s.frames} frames in ${s.wallSeconds.toFixed(3)} s wall (${Math.round(s.framesPerSecond)} frames/s), peak RSS ${(s.peakRssBytes / 2 ** 20).toFixed(1)} MiB (${(s.peakRssBytes / s.ranks / 1024).toFixed(0)} KiB per rank)`,
    `start-up (opening ${s.ranks} ranks) ${s.startupSeconds.toFixed(3)} s of the wall time; after it ${Math.round(s.frames / Math.max(1e-9, s.wallSeconds - s.startupSeconds))} frames/s`,
  ];
  const busiest = Object.entries(s.resources)
    .sort((a, b) => b[1].utilisation - a[1].utilisation)
    .slice(0, 12)
    .map(([name, r]): [string, Record<string, number>] => [
      name,
      { "busy%": Number((100 * r.utilisation).toFixed(1)), frames: r.served, meanWait_us: Number((r.meanWait * 1e6).toFixed(3)), interrupts: r.interrupts },
    ]);
  lines.push(...table("resource (busiest)", busiest));
  return lines.join("\n");
}
