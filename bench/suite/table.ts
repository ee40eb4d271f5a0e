/**
 * The terminal view of a suite document: NAS verdicts and speeds, the
 * point-to-point and collective figures side by side per transport and
 * placement, and a list of every run that did not end well, with why.
 */
import { type Cell, formatTable } from "../lib/table.ts";
import { formatBytes } from "../lib/sizes.ts";
import { KERNELS, type RunRecord, type SuiteDocument } from "./types.ts";

/** How a run is named in tables and chart legends: "vf 2x2", or "shm" for one VM. */
export function seriesLabel(r: Pick<RunRecord, "transport" | "placement">): string {
  return r.transport === "shm" && r.placement.name === "1x1" ? "shm" : `${r.transport} ${r.placement.name}`;
}

function statusText(r: RunRecord): string {
  if (r.status === "ok") return r.nas ? "SUCCESSFUL" : "ok";
  if (r.status === "failed") return "FAILED";
  return r.status;
}

function order<T>(list: readonly T[], x: T): number {
  const i = list.indexOf(x);
  return i < 0 ? list.length : i;
}

export function nasTable(doc: SuiteDocument): string | undefined {
  const runs = doc.runs.filter((r) => r.suite === "nas");
  if (runs.length === 0) return undefined;
  const transports = doc.settings.transports;
  const sorted = [...runs].sort(
    (a, b) =>
      order(KERNELS as readonly string[], a.kernel ?? "") - order(KERNELS as readonly string[], b.kernel ?? "") ||
      (a.class ?? "").localeCompare(b.class ?? "") ||
      a.np - b.np ||
      order(transports, a.transport) - order(transports, b.transport) ||
      a.placement.name.localeCompare(b.placement.name),
  );
  const rows: Cell[][] = sorted.map((r) => [
    (r.kernel ?? "").toUpperCase(),
    r.class,
    r.np,
    r.transport,
    r.placement.name,
    r.nas?.time,
    r.nas?.mops,
    r.nas ? r.nas.mops / r.np : undefined,
    statusText(r),
    r.seconds,
  ]);
  return formatTable(
    [
      { title: "kernel", align: "left" },
      { title: "class", align: "left" },
      { title: "np", digits: 0 },
      { title: "transport", align: "left" },
      { title: "placement", align: "left" },
      { title: "time s", digits: 3 },
      { title: "Mop/s" },
      { title: "Mop/s/proc" },
      { title: "verification", align: "left" },
      { title: "wall s", digits: 1 },
    ],
    rows,
  );
}

type P2pMetric = "latencyUs" | "bandwidthMBps" | "bibwMBps";

/** One row per message size, one column per transport/placement (medians). */
export function p2pTable(doc: SuiteDocument, metric: P2pMetric): string | undefined {
  const runs = doc.runs.filter((r) => r.suite === "p2p" && r.p2p && r.p2p[metric].length > 0);
  if (runs.length === 0) return undefined;
  const sizes = [...new Set(runs.flatMap((r) => r.p2p![metric].map((x) => x.bytes)))].sort((a, b) => a - b);
  const digits = metric === "latencyUs" ? 2 : 1;
  const rows = sizes.map((bytes) => [formatBytes(bytes), ...runs.map((r) => r.p2p![metric].find((x) => x.bytes === bytes)?.median)]);
  return formatTable([{ title: "bytes" }, ...runs.map((r) => ({ title: seriesLabel(r), digits }))], rows);
}

export function collTable(doc: SuiteDocument): string | undefined {
  const runs = doc.runs.filter((r) => r.suite === "coll" && r.coll);
  if (runs.length === 0) return undefined;
  const keys = new Map<string, { collective: string; bytes: number }>();
  for (const r of runs) for (const row of r.coll!.rows) keys.set(`${row.collective}/${row.bytes}`, { collective: row.collective, bytes: row.bytes });
  const rows = [...keys.values()].map((k) => [
    k.collective,
    formatBytes(k.bytes),
    ...runs.map((r) => r.coll!.rows.find((x) => x.collective === k.collective && x.bytes === k.bytes)?.avgUs),
  ]);
  return formatTable([{ title: "collective", align: "left" }, { title: "bytes" }, ...runs.map((r) => ({ title: `${seriesLabel(r)} np${r.np}` }))], rows);
}

export function countByStatus(doc: SuiteDocument): Record<string, number> {
  const c: Record<string, number> = { ok: 0, failed: 0, error: 0, unavailable: 0 };
  for (const r of doc.runs) c[r.status] = (c[r.status] ?? 0) + 1;
  return c;
}

/** Everything for the terminal, sections separated by blank lines. */
export function formatSuite(doc: SuiteDocument): string {
  const parts: string[] = [];
  const nas = nasTable(doc);
  if (nas) parts.push(`NAS Parallel Benchmarks (time and Mop/s as each kernel reports them)\n${nas}`);
  const lat = p2pTable(doc, "latencyUs");
  if (lat) parts.push(`Point-to-point latency, µs (half round trip, median)\n${lat}`);
  const bw = p2pTable(doc, "bandwidthMBps");
  if (bw) parts.push(`Point-to-point bandwidth, MB/s (window of ${doc.runs.find((r) => r.p2p)?.p2p?.window ?? "?"}, median)\n${bw}`);
  const bibw = p2pTable(doc, "bibwMBps");
  if (bibw) parts.push(`Point-to-point bidirectional bandwidth, MB/s (median)\n${bibw}`);
  const coll = collTable(doc);
  if (coll) parts.push(`Collective latency, µs (average over ranks)\n${coll}`);
  const bad = doc.runs.filter((r) => r.status !== "ok");
  if (bad.length > 0) parts.push(`Runs that did not succeed:\n${bad.map((r) => `  ${r.id}: ${statusText(r)}${r.reason ? ` — ${r.reason}` : ""}`).join("\n")}`);
  const c = countByStatus(doc);
  parts.push(
    `${doc.runs.length} runs: ${c.ok} ok, ${c.failed} failed verification, ${c.error} errors, ${c.unavailable} unavailable; ${doc.seconds.toFixed(1)} s`,
  );
  return parts.join("\n\n");
}
