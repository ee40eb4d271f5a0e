/**
 * The terminal view of a suite document: NAS verdicts and speeds, the
 * point-to-point and collective figures side by side per transport and
 * placement, and a list of every run that did not end well, with why.
 */
import { type Cell, formatTable, ratio, type TableData, withSpread } from "../lib/table.ts";
import { formatBytes } from "../lib/sizes.ts";
import { loadText, oversubscription } from "../lib/load.ts";
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

/** Marks a run whose ranks and NIC threads outnumber the cores (footnote in formatSuite). */
function mark(r: RunRecord): string {
  return r.load && oversubscription(r.load) ? "*" : "";
}

function nasSpread(r: RunRecord, field: "time" | "mops"): { min?: number; max?: number } {
  const xs = r.nasRuns?.map((x) => x[field]);
  return xs && xs.length > 0 ? { min: Math.min(...xs), max: Math.max(...xs) } : {};
}

export function nasData(doc: SuiteDocument): TableData | undefined {
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
  const shmTime = (r: RunRecord): number | undefined =>
    runs.find((x) => x.transport === "shm" && x.kernel === r.kernel && x.class === r.class && x.np === r.np)?.nas?.time;
  const rows: Cell[][] = sorted.map((r) => {
    const t = nasSpread(r, "time");
    const m = nasSpread(r, "mops");
    return [
      (r.kernel ?? "").toUpperCase(),
      r.class,
      r.np,
      r.transport,
      `${r.placement.name}${mark(r)}`,
      r.nasRuns?.length,
      withSpread(r.nas?.time, t.min, t.max, 3),
      ratio(r.nas?.time, shmTime(r)),
      withSpread(r.nas?.mops, m.min, m.max, 2),
      r.nas ? r.nas.mops / r.np : undefined,
      statusText(r),
      r.seconds,
    ];
  });
  return {
    columns: [
      { title: "kernel", align: "left" },
      { title: "class", align: "left" },
      { title: "np", digits: 0 },
      { title: "transport", align: "left" },
      { title: "placement", align: "left" },
      { title: "runs", digits: 0 },
      { title: "time s [min–max]" },
      { title: "time/shm" },
      { title: "Mop/s [min–max]" },
      { title: "Mop/s/proc", digits: 1 },
      { title: "verification", align: "left" },
      { title: "wall s", digits: 1 },
    ],
    rows,
  };
}

export type P2pMetric = "latencyUs" | "bandwidthMBps" | "bibwMBps";

/**
 * One row per message size, one column per transport/placement: the median
 * with the range over repeats, then its ratio to shm at that size.
 */
export function p2pData(doc: SuiteDocument, metric: P2pMetric): TableData | undefined {
  const runs = doc.runs.filter((r) => r.suite === "p2p" && r.p2p && r.p2p[metric].length > 0);
  if (runs.length === 0) return undefined;
  const sizes = [...new Set(runs.flatMap((r) => r.p2p![metric].map((x) => x.bytes)))].sort((a, b) => a - b);
  const digits = metric === "latencyUs" ? 2 : 1;
  const shm = runs.find((r) => r.transport === "shm");
  const rows = sizes.map((bytes) => {
    const base = shm?.p2p?.[metric].find((x) => x.bytes === bytes)?.median;
    return [
      formatBytes(bytes),
      ...runs.flatMap((r) => {
        const x = r.p2p![metric].find((y) => y.bytes === bytes);
        const cell = withSpread(x?.median, x?.min, x?.max, digits);
        return r === shm ? [cell] : [cell, ratio(x?.median, base)];
      }),
    ];
  });
  return {
    columns: [{ title: "bytes" }, ...runs.flatMap((r) => [{ title: `${seriesLabel(r)}${mark(r)} [min–max]` }, ...(r === shm ? [] : [{ title: "/shm" }])])],
    rows,
  };
}

export function collData(doc: SuiteDocument): TableData | undefined {
  const runs = doc.runs.filter((r) => r.suite === "coll" && r.coll);
  if (runs.length === 0) return undefined;
  const keys = new Map<string, { collective: string; bytes: number }>();
  for (const r of runs) for (const row of r.coll!.rows) keys.set(`${row.collective}/${row.bytes}`, { collective: row.collective, bytes: row.bytes });
  const find = (r: RunRecord, k: { collective: string; bytes: number }) => r.coll!.rows.find((x) => x.collective === k.collective && x.bytes === k.bytes);
  const rows = [...keys.values()].map((k) => [
    k.collective,
    formatBytes(k.bytes),
    ...runs.flatMap((r) => {
      const x = find(r, k);
      const shm = runs.find((y) => y.transport === "shm" && y.np === r.np);
      const cell = withSpread(x?.avgUs, x?.minAvgUs, x?.maxAvgUs, 2);
      return r.transport === "shm" ? [cell] : [cell, shm ? ratio(x?.avgUs, find(shm, k)?.avgUs) : undefined];
    }),
  ]);
  return {
    columns: [
      { title: "collective", align: "left" },
      { title: "bytes" },
      ...runs.flatMap((r) => [{ title: `${seriesLabel(r)}${mark(r)} np${r.np} [min–max]` }, ...(r.transport === "shm" ? [] : [{ title: "/shm" }])]),
    ],
    rows,
  };
}

const draw = (t: TableData | undefined): string | undefined => (t ? formatTable(t.columns, t.rows) : undefined);
export const nasTable = (doc: SuiteDocument): string | undefined => draw(nasData(doc));
export const p2pTable = (doc: SuiteDocument, metric: P2pMetric): string | undefined => draw(p2pData(doc, metric));
export const collTable = (doc: SuiteDocument): string | undefined => draw(collData(doc));

/** The load averages before and after, so a reader can tell a quiet machine from a busy one. */
export function loadLine(doc: SuiteDocument): string | undefined {
  if (!doc.load) return undefined;
  return loadText(doc.load.before, doc.load.after, doc.machine.cpus);
}

/** The footnote for runs marked "*": which ones, and why their numbers are suspect. */
export function oversubscriptionWarning(doc: SuiteDocument): string | undefined {
  const over = doc.runs.flatMap((r) => {
    const why = r.load && oversubscription(r.load);
    return why ? [`  ${r.id}: ${why}`] : [];
  });
  if (over.length === 0) return undefined;
  return (
    "WARNING (* above): in these runs the ranks and NIC threads outnumber the machine's cores, so each waits for a core\n" +
    "and the numbers measure the operating system's scheduler as much as the transport:\n" +
    over.join("\n")
  );
}

export function countByStatus(doc: SuiteDocument): Record<string, number> {
  const c: Record<string, number> = { ok: 0, failed: 0, error: 0, unavailable: 0 };
  for (const r of doc.runs) c[r.status] = (c[r.status] ?? 0) + 1;
  return c;
}

/** Everything for the terminal, sections separated by blank lines. */
export function formatSuite(doc: SuiteDocument): string {
  const parts: string[] = [];
  const load = loadLine(doc);
  if (load) parts.push(load);
  const nas = nasTable(doc);
  if (nas) parts.push(`NAS Parallel Benchmarks (time and Mop/s as each kernel reports them: median [min–max] of the launches; time/shm against the shm run)\n${nas}`);
  const lat = p2pTable(doc, "latencyUs");
  if (lat) parts.push(`Point-to-point latency, µs (half round trip: median [min–max] over repeats; /shm against shm)\n${lat}`);
  const bw = p2pTable(doc, "bandwidthMBps");
  if (bw) parts.push(`Point-to-point bandwidth, MB/s (window of ${doc.runs.find((r) => r.p2p)?.p2p?.window ?? "?"}: median [min–max] over repeats; /shm against shm)\n${bw}`);
  const bibw = p2pTable(doc, "bibwMBps");
  if (bibw) parts.push(`Point-to-point bidirectional bandwidth, MB/s (median [min–max] over repeats; /shm against shm)\n${bibw}`);
  const coll = collTable(doc);
  if (coll) parts.push(`Collective latency, µs (average over ranks: median [min–max] over repeats; /shm against shm)\n${coll}`);
  const warning = oversubscriptionWarning(doc);
  if (warning) parts.push(warning);
  const bad = doc.runs.filter((r) => r.status !== "ok");
  if (bad.length > 0) parts.push(`Runs that did not succeed:\n${bad.map((r) => `  ${r.id}: ${statusText(r)}${r.reason ? ` — ${r.reason}` : ""}`).join("\n")}`);
  const c = countByStatus(doc);
  parts.push(
    `${doc.runs.length} runs: ${c.ok} ok, ${c.failed} failed verification, ${c.error} errors, ${c.unavailable} unavailable; ${doc.seconds.toFixed(1)} s`,
  );
  return parts.join("\n\n");
}
