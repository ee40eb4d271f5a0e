/**
 * Chrome trace-event JSON, the format Perfetto and chrome://tracing open:
 * one process per VM (named host/vm), one thread per rank, complete slices
 * for MPI calls and compute bursts, a flow arrow per message from the send
 * to the matching receive, and counter tracks for shared resources (in a
 * pseudo-process per host: its bridge, links, NIC processors).
 *
 * Output is byte-deterministic: metadata in id order, then events sorted by
 * timestamp, slices starting together longest first (the enclosing one), other
 * ties in the order they were recorded, numbers rounded to
 * nanoseconds. Perfetto requires slices on one track to nest, not overlap
 * (perfetto.dev FAQ), so callers record a rank's calls and bursts one after
 * another.
 */
import { writeFileSync } from "node:fs";

type Args = Readonly<Record<string, string | number | boolean>>;

interface Event {
  readonly ts: number;
  /** A slice's duration (0 for other events): of slices starting together the longer comes first, the enclosing one. */
  readonly dur: number;
  readonly seq: number;
  readonly json: string;
}

/** Seconds to trace microseconds, rounded to the nanosecond so output is stable. */
const us = (seconds: number): number => Math.round(seconds * 1e9) / 1e3;

export class ChromeTrace {
  private readonly processes = new Map<number, { name: string; sort: number }>();
  private readonly threads = new Map<string, { pid: number; tid: number; name: string }>();
  private readonly events: Event[] = [];
  private seq = 0;
  private readonly metadata: Args;

  constructor(metadata: Args = {}) {
    this.metadata = metadata;
  }

  get size(): number {
    return this.events.length;
  }

  /** Names a process track (a VM, or a host's resources). */
  process(pid: number, name: string, sort = pid): void {
    this.processes.set(pid, { name, sort });
  }

  /** Names a thread track (a rank) inside a process. */
  thread(pid: number, tid: number, name: string): void {
    this.threads.set(`${pid}:${tid}`, { pid, tid, name });
  }

  /** A complete slice [start, end] seconds on a rank's track. */
  slice(pid: number, tid: number, name: string, start: number, end: number, args?: Args, category = "mpi"): void {
    const dur = Math.max(0, us(end) - us(start));
    const rounded = Math.round(dur * 1e3) / 1e3;
    this.push(start, { name, cat: category, ph: "X", pid, tid, ts: us(start), dur: rounded, ...(args ? { args } : {}) }, rounded);
  }

  /** An instant on a rank's track (a non-blocking call that returned at once). */
  instant(pid: number, tid: number, name: string, at: number, args?: Args): void {
    this.push(at, { name, cat: "mpi", ph: "i", s: "t", pid, tid, ts: us(at), ...(args ? { args } : {}) });
  }

  /** The tail of a message's arrow, at the send (binds to the enclosing slice). */
  flowStart(id: number, pid: number, tid: number, at: number): void {
    this.push(at, { name: "message", cat: "message", ph: "s", id, pid, tid, ts: us(at) });
  }

  /** The head of a message's arrow, at the receive that matched it. */
  flowEnd(id: number, pid: number, tid: number, at: number): void {
    this.push(at, { name: "message", cat: "message", ph: "f", bp: "e", id, pid, tid, ts: us(at) });
  }

  /** A counter sample (queue depth, busy) on a process's counter track `name`. */
  counter(pid: number, name: string, at: number, values: Readonly<Record<string, number>>): void {
    this.push(at, { name, cat: "resource", ph: "C", pid, ts: us(at), args: values });
  }

  private push(at: number, event: Record<string, unknown>, dur = 0): void {
    this.events.push({ ts: us(at), dur, seq: this.seq++, json: JSON.stringify(event) });
  }

  /** The whole trace as JSON text, one event per line. */
  toJSON(): string {
    const lines: string[] = [];
    for (const [pid, p] of [...this.processes].sort((a, b) => a[0] - b[0])) {
      lines.push(JSON.stringify({ name: "process_name", ph: "M", pid, args: { name: p.name } }));
      lines.push(JSON.stringify({ name: "process_sort_index", ph: "M", pid, args: { sort_index: p.sort } }));
    }
    const threads = [...this.threads.values()].sort((a, b) => a.pid - b.pid || a.tid - b.tid);
    for (const t of threads) {
      lines.push(JSON.stringify({ name: "thread_name", ph: "M", pid: t.pid, tid: t.tid, args: { name: t.name } }));
      lines.push(JSON.stringify({ name: "thread_sort_index", ph: "M", pid: t.pid, tid: t.tid, args: { sort_index: t.tid } }));
    }
    // A call's slice is recorded when it ends, after the waits and bursts inside it: the longer goes first.
    const sorted = this.events.slice().sort((a, b) => a.ts - b.ts || b.dur - a.dur || a.seq - b.seq);
    for (const e of sorted) lines.push(e.json);
    const other = JSON.stringify(this.metadata);
    return `{"displayTimeUnit":"ns","otherData":${other},"traceEvents":[\n${lines.join(",\n")}\n]}\n`;
  }

  write(file: string): void {
    writeFileSync(file, this.toJSON());
  }
}
