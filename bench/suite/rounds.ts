/**
 * Repeated launches of one NAS point become one record (the median launch,
 * with every launch kept), and each run is told how many threads want a core
 * while it works — ranks, NIC-processor threads, bridges — so a table can
 * say when the numbers measure the scheduler rather than the transport.
 */
import type { NasResult } from "../nas/common/report.ts";
import type { RunLoad, RunRecord } from "./types.ts";

/** The launch whose time is the median (the lower middle for an even count). */
function medianByTime(results: readonly NasResult[]): NasResult {
  const sorted = [...results].sort((a, b) => a.time - b.time);
  return sorted[(sorted.length - 1) >> 1]!;
}

/**
 * One record from the launches of one point, in the order run. A launch that
 * failed verification makes the point failed, one that broke makes it an
 * error (the first reason is kept): a point is only as good as its worst launch.
 */
export function mergeLaunches(launches: readonly RunRecord[]): RunRecord {
  if (launches.length === 0) throw new RangeError("mergeLaunches: no launches");
  if (launches.length === 1) {
    const only = launches[0]!;
    return only.nas ? { ...only, nasRuns: [only.nas] } : only;
  }
  const first = launches[0]!;
  const results = launches.flatMap((r) => (r.nas ? [r.nas] : []));
  const worst = launches.find((r) => r.status === "failed") ?? launches.find((r) => r.status === "error") ?? launches.find((r) => r.status === "unavailable");
  const merged: RunRecord = {
    ...first,
    status: worst?.status ?? "ok",
    seconds: launches.reduce((t, r) => t + r.seconds, 0),
  };
  if (worst?.reason) merged.reason = `${worst.reason} (launch ${launches.indexOf(worst) + 1} of ${launches.length})`;
  else delete merged.reason;
  if (worst?.log) merged.log = worst.log;
  else delete merged.log;
  if (results.length > 0) {
    merged.nas = medianByTime(results);
    merged.nasRuns = results;
  }
  return merged;
}

/** Threads that want a core during a run, read from its placement's per-pair transports. */
export function runLoad(r: Pick<RunRecord, "np" | "placement">, cores: number): RunLoad {
  const { vms, hosts, matrix } = r.placement;
  const nicVms = new Set<string>();
  const bridgeHosts = new Set<string>();
  if (vms && hosts && matrix) {
    matrix.forEach((row, a) => {
      if (row.includes("slurpoe")) nicVms.add(vms[a]!);
      if (row.includes("bridged")) bridgeHosts.add(hosts[a]!);
    });
  }
  return { ranks: r.np, nicThreads: nicVms.size, bridges: bridgeHosts.size, cores };
}
