/**
 * `--trace` in live runs: each rank records, on the wall clock, every
 * message its core sends and every envelope that reaches it (a
 * MessageObserver); the records travel to the launcher with the rank's "done"
 * report, and the launcher joins them into one Chrome trace: a process per VM,
 * a thread per rank, a mark where each message left and where it arrived, and
 * an arrow between the two. A message is named alike at both ends (sender,
 * receiver, context, the sender's rank in it, sequence number), which is how
 * the two records are paired.
 */
import type { MessageObserver } from "../core/observer.ts";
import { ChromeTrace } from "./chrome.ts";

/** Fields per record: kind (0 sent, 1 arrived), time (ms since the thread's time origin), peer, context, source, sequence, tag, bytes. */
const FIELDS = 8;

/**
 * One rank's records, flat (they cross threads and processes as one typed
 * array): its thread's time origin (ms since the epoch), then the records.
 * Times stay relative to the origin so they keep sub-microsecond precision
 * (an epoch time in ms as a double does not).
 */
export type RankTrace = Float64Array;

export class LiveTraceRecorder implements MessageObserver {
  private records = new Float64Array(1 + FIELDS * 1024);
  private n = 1;

  constructor() {
    this.records[0] = performance.timeOrigin;
  }

  sent(worldDest: number, context: number, source: number, sequence: number, tag: number, bytes: number): void {
    this.record(0, worldDest, context, source, sequence, tag, bytes);
  }

  arrived(worldSource: number, context: number, source: number, sequence: number, tag: number, bytes: number): void {
    this.record(1, worldSource, context, source, sequence, tag, bytes);
  }

  private record(kind: number, peer: number, context: number, source: number, sequence: number, tag: number, bytes: number): void {
    if (this.n + FIELDS > this.records.length) {
      const grown = new Float64Array(this.records.length * 2);
      grown.set(this.records);
      this.records = grown;
    }
    const r = this.records;
    const i = this.n;
    r[i] = kind;
    r[i + 1] = performance.now();
    r[i + 2] = peer;
    r[i + 3] = context;
    r[i + 4] = source;
    r[i + 5] = sequence;
    r[i + 6] = tag;
    r[i + 7] = bytes;
    this.n = i + FIELDS;
  }

  /** The records so far. */
  take(): RankTrace {
    return this.records.slice(0, this.n);
  }
}

/** A mark's length on a rank's track, seconds: shorter than the time between two records, so marks never overlap. */
const MARK = 2e-9;

/**
 * The job's trace from every rank's records (`traces[rank]`, missing for a
 * rank that never reported), with each rank on its VM's track. Times start at
 * the earliest record.
 */
export function liveTrace(traces: readonly (RankTrace | undefined)[], vms: readonly string[], hosts: readonly string[]): ChromeTrace {
  const trace = new ChromeTrace({ engine: "live", np: traces.length });
  const vmPid = new Map<string, number>();
  for (let r = 0; r < traces.length; r++) {
    const key = `${hosts[r]}/${vms[r]}`;
    if (!vmPid.has(key)) {
      vmPid.set(key, 1000 + vmPid.size);
      trace.process(vmPid.get(key)!, key);
    }
    trace.thread(vmPid.get(key)!, r, `rank ${r}`);
  }
  const pidOf = (r: number): number => vmPid.get(`${hosts[r]}/${vms[r]}`)!;
  // Every thread and process of the job runs on one machine, so their time origins share the epoch.
  let base = Number.POSITIVE_INFINITY;
  for (const t of traces) if (t && t.length > 1) base = Math.min(base, t[0]!);
  /** Record `i` of `t` in ms after the earliest time origin. */
  const rel = (t: RankTrace, i: number): number => t[0]! - base + t[i + 1]!;
  let first = Number.POSITIVE_INFINITY;
  for (const t of traces) if (t && t.length > 1) first = Math.min(first, rel(t, 1));
  /** Seconds from the job's first record to record `i` of `t`. */
  const at = (t: RankTrace, i: number): number => (rel(t, i) - first) / 1000 + MARK;
  // A message is sender > receiver : context : source : sequence; its flow id is the order its send was found in.
  const key = (from: number, to: number, t: RankTrace, i: number): string => `${from}>${to}:${t[i + 3]}:${t[i + 4]}:${t[i + 5]}`;
  const flows = new Map<string, number>();
  /** Call `f` with every record of `kind` (0 sent, 1 arrived): rank, its records, index, time. */
  const each = (kind: number, f: (r: number, t: RankTrace, i: number, time: number) => void): void => {
    for (let r = 0; r < traces.length; r++) {
      const t = traces[r];
      if (t) for (let i = 1; i < t.length; i += FIELDS) if (t[i] === kind) f(r, t, i, at(t, i));
    }
  };
  // Sends first, so every arrival finds its message's flow id.
  each(0, (r, t, i, sent) => {
    const to = t[i + 2]!;
    const id = flows.size + 1;
    flows.set(key(r, to, t, i), id);
    trace.slice(pidOf(r), r, "send", sent - MARK, sent, { to, tag: t[i + 6]!, bytes: t[i + 7]! });
    trace.flowStart(id, pidOf(r), r, sent - MARK / 2);
  });
  each(1, (r, t, i, arrived) => {
    const from = t[i + 2]!;
    trace.slice(pidOf(r), r, "deliver", arrived - MARK, arrived, { from, tag: t[i + 6]!, bytes: t[i + 7]! });
    const id = flows.get(key(from, r, t, i));
    if (id !== undefined) trace.flowEnd(id, pidOf(r), r, arrived - MARK / 2);
  });
  return trace;
}
