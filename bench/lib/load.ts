/**
 * How busy the machine was, for every benchmark: the load averages before
 * and after a run, and a warning when the threads that poll (ranks, NIC
 * threads) outnumber the cores — then each waits for a core, and the numbers
 * measure the operating system's scheduler as much as what was benchmarked.
 */

export interface ThreadCount {
  ranks: number;
  /** NIC-processor threads (slurpoe: one per VM): they poll like ranks. */
  nicThreads: number;
  /** Bridge processes (bridged: one per host): event-driven, named for context. */
  bridges: number;
  cores: number;
}

/** "4 ranks + 4 NIC threads on 2 cores" when ranks and NIC threads outnumber the cores; undefined when they fit. */
export function oversubscription(t: ThreadCount): string | undefined {
  const busy = t.ranks + t.nicThreads;
  if (busy <= t.cores) return undefined;
  const nic = t.nicThreads > 0 ? ` + ${t.nicThreads} NIC thread${t.nicThreads === 1 ? "" : "s"}` : "";
  const bridges = t.bridges > 0 ? ` (and ${t.bridges} bridge process${t.bridges === 1 ? "" : "es"})` : "";
  return `${t.ranks} ranks${nic}${bridges} on ${t.cores} cores`;
}

/** The sentence benchmarks print under a table whose runs were oversubscribed. */
export function oversubscriptionNote(what: string): string {
  return `WARNING: ${what}: the numbers measure the operating system's scheduler as much as tsmpi`;
}

/** "Load average (1, 5, 15 min) on 2 cores: 0.52 0.40 0.31 before, 1.90 0.71 0.42 after". */
export function loadText(before: readonly number[], after: readonly number[], cores: number): string {
  const f = (xs: readonly number[]): string => xs.map((x) => x.toFixed(2)).join(" ");
  return `Load average (1, 5, 15 min) on ${cores} cores: ${f(before)} before, ${f(after)} after`;
}

/** The load averages a stamp was taken with (older stamps kept only the 1-minute figure). */
export function loadavgAt(s: { machine: { load1: number; load?: number[] } }): number[] {
  return s.machine.load ?? [s.machine.load1];
}
