/**
 * Putting the sources side by side: combines repeated runs of each source
 * (median of run medians, best min), renders the comparison tables, and
 * checks the issues' targets (issues 2 and 15, "Must show"). Pure functions, so the
 * tests can feed them made-up results.
 */
import type { P2pResult, SizeResult } from "../lib/results.ts";
import { formatBytes } from "../lib/sizes.ts";
import { combineRuns } from "../lib/stats.ts";
import { type Cell, formatTable, ratio, withSpread } from "../lib/table.ts";

export type Metric = "latencyUs" | "bandwidthMBps" | "bibwMBps";
export const metrics: readonly Metric[] = ["latencyUs", "bandwidthMBps", "bibwMBps"];

/** Several runs of one source as one result: every size's summaries combined across runs. */
export function combineResults(runs: readonly P2pResult[]): P2pResult {
  if (runs.length === 0) throw new Error("combineResults: no runs");
  const first = runs[0]!;
  const combine = (metric: Metric): SizeResult[] =>
    first[metric].map((row) => {
      const same = runs.map((r) => r[metric].find((x) => x.bytes === row.bytes)).filter((x): x is SizeResult => x !== undefined);
      return { bytes: row.bytes, iterations: row.iterations, ...combineRuns(same) };
    });
  return {
    ...first,
    latencyUs: combine("latencyUs"),
    bandwidthMBps: combine("bandwidthMBps"),
    bibwMBps: combine("bibwMBps"),
    notes: { ...first.notes, runs: runs.length },
  };
}

export function rowAt(result: P2pResult | undefined, metric: Metric, bytes: number): SizeResult | undefined {
  return result?.[metric].find((r) => r.bytes === bytes);
}

const titles: Record<Metric, { name: string; unit: string; digits: number }> = {
  latencyUs: { name: "latency, half round trip", unit: "us", digits: 2 },
  bandwidthMBps: { name: "bandwidth, window of 64", unit: "MB/s", digits: 0 },
  bibwMBps: { name: "bidirectional bandwidth", unit: "MB/s", digits: 0 },
};

/**
 * size | tsmpi | raw SAB | raw SAB with the payload 4 bytes off alignment
 * (when given) | Open MPI | tsmpi/Open MPI: every source as median [min–max]
 * over its repeats and runs, medians compared.
 */
export function comparisonTable(metric: Metric, tsmpi: P2pResult, sab: P2pResult | undefined, ompi: P2pResult | undefined, sabOff?: P2pResult): string {
  const t = titles[metric];
  const cell = (r: SizeResult | undefined): Cell => withSpread(r?.median, r?.min, r?.max, t.digits);
  const rows: Cell[][] = tsmpi[metric].map((row) => {
    const o = rowAt(ompi, metric, row.bytes);
    return [
      formatBytes(row.bytes),
      cell(row),
      cell(rowAt(sab, metric, row.bytes)),
      ...(sabOff ? [cell(rowAt(sabOff, metric, row.bytes))] : []),
      cell(o),
      ratio(row.median, o?.median),
    ];
  });
  const table = formatTable(
    [
      { title: "size", align: "left" },
      { title: `tsmpi ${t.unit}` },
      { title: `raw SAB ${t.unit}` },
      ...(sabOff ? [{ title: "(payload +4)" }] : []),
      { title: `Open MPI ${t.unit}` },
      { title: "tsmpi/OpenMPI" },
    ],
    rows,
  );
  return `## ${t.name} (${t.unit}; median [min–max])\n${table}`;
}

export interface TargetCheck {
  name: string;
  /** What was measured, in words with numbers. */
  measured: string;
  status: "PASS" | "FAIL" | "SKIP";
}

function check(name: string, value: number | undefined, limit: number, atMost: boolean, describe: (v: number) => string, why = "not measured"): TargetCheck {
  if (value === undefined || !Number.isFinite(value)) return { name, measured: why, status: "SKIP" };
  const ok = atMost ? value <= limit : value >= limit;
  return { name, measured: describe(value), status: ok ? "PASS" : "FAIL" };
}

/**
 * The benchmark targets, judged on medians from the same run: issue 2's five,
 * then issue 15's small-message pair (8 B half round trip against the raw
 * SharedArrayBuffer ping-pong, and the message rate: 8 B messages per second
 * through a window of 64 non-blocking sends, as osu_mbw_mr, against Open MPI's).
 */
export function checkTargets(tsmpi: P2pResult, ompi: P2pResult | undefined, idle: P2pResult | undefined, sab?: P2pResult): TargetCheck[] {
  const mib = 1 << 20;
  const lat8 = rowAt(tsmpi, "latencyUs", 8)?.median;
  const lat8o = rowAt(ompi, "latencyUs", 8)?.median;
  const lat1m = rowAt(tsmpi, "latencyUs", mib)?.median;
  const lat1mo = rowAt(ompi, "latencyUs", mib)?.median;
  const bw1m = rowAt(tsmpi, "bandwidthMBps", mib)?.median;
  const bw1mo = rowAt(ompi, "bandwidthMBps", mib)?.median;
  const idle8 = rowAt(idle, "latencyUs", 8)?.median;
  const lat8s = rowAt(sab, "latencyUs", 8)?.median;
  const bw8 = rowAt(tsmpi, "bandwidthMBps", 8)?.median;
  const bw8o = rowAt(ompi, "bandwidthMBps", 8)?.median;
  const noOmpi = ompi ? "size not measured" : "Open MPI not available";
  const ratio = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined || b <= 0 ? undefined : a / b);
  return [
    check("8 B half round trip <= 1.0 us", lat8, 1.0, true, (v) => `${v.toFixed(2)} us`),
    check(
      "8 B half round trip <= 3x Open MPI",
      ratio(lat8, lat8o),
      3,
      true,
      (v) => `${v.toFixed(2)}x (${lat8!.toFixed(2)} vs ${lat8o!.toFixed(2)} us)`,
      noOmpi,
    ),
    check(
      "1 MiB half round trip <= 1.5x Open MPI",
      ratio(lat1m, lat1mo),
      1.5,
      true,
      (v) => `${v.toFixed(2)}x (${lat1m!.toFixed(1)} vs ${lat1mo!.toFixed(1)} us)`,
      noOmpi,
    ),
    check(
      "1 MiB windowed bandwidth >= 0.6x Open MPI",
      ratio(bw1m, bw1mo),
      0.6,
      false,
      (v) => `${v.toFixed(2)}x (${bw1m!.toFixed(0)} vs ${bw1mo!.toFixed(0)} MB/s)`,
      noOmpi,
    ),
    check("4 ranks on 2 cores, 8 B ping-pong <= 20 us", idle8, 20, true, (v) => `${v.toFixed(2)} us`),
    check(
      "8 B half round trip <= 1.5x raw SAB",
      ratio(lat8, lat8s),
      1.5,
      true,
      (v) => `${v.toFixed(2)}x (${lat8!.toFixed(2)} vs ${lat8s!.toFixed(2)} us)`,
      sab ? "size not measured" : "raw SAB baseline not run",
    ),
    check(
      "8 B message rate >= 0.5x Open MPI",
      ratio(bw8, bw8o),
      0.5,
      false,
      (v) => `${v.toFixed(2)}x (${messageRate(bw8!)} vs ${messageRate(bw8o!)} msg/s)`,
      noOmpi,
    ),
  ];
}

/** 8-byte messages per second from an 8 B bandwidth in MB/s (10^6 bytes/s), in millions. */
function messageRate(mbps: number): string {
  return `${((mbps * 1e6) / 8 / 1e6).toFixed(2)} M`;
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  return `## targets (issues 2 and 15)\n${formatTable(
    [
      { title: "target", align: "left" },
      { title: "measured", align: "left" },
      { title: "result", align: "left" },
    ],
    checks.map((c) => [c.name, c.measured, c.status]),
  )}`;
}
