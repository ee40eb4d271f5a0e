/**
 * Live hang detection: every rank thread reports a pulse twice a second
 * (frames its core has handled, whether it is inside an MPI call and what that
 * call waits for, or whether it sits idle outside MPI with nothing that could
 * wake it). The job is dead when, for `deadlockAfterMs`, no frame has moved
 * anywhere and every rank whose main has not returned is either blocked in
 * MPI or idle outside it, with a fresh pulse: a rank that computes cannot
 * pulse (its event loop is busy), so a stale pulse means "working", never
 * "dead", and a slow but moving job is never called dead. The report names
 * each rank's state, as the simulator's watchdog does.
 */
import { collectiveMismatch } from "../coll/check.ts";
import type { Pulse } from "../control/protocol.ts";

interface RankState {
  pulse: Pulse | undefined;
  at: number;
  returned: boolean;
}

/** A pulse older than this says the rank is busy (its thread cannot run timers), not stuck. */
export const STALE_PULSE_MS = 2000;

export class HangWatch {
  private readonly ranks: RankState[];
  private readonly deadlockAfterMs: number;
  private readonly now: () => number;
  private lastActivity = -1;
  private stalledSince: number;

  constructor(np: number, deadlockAfterMs: number, now: () => number = () => performance.now()) {
    this.ranks = Array.from({ length: np }, () => ({ pulse: undefined, at: 0, returned: false }));
    this.deadlockAfterMs = deadlockAfterMs;
    this.now = now;
    this.stalledSince = now();
  }

  pulse(rank: number, p: Pulse): void {
    const r = this.ranks[rank];
    if (!r) return;
    r.pulse = p;
    r.at = this.now();
  }

  /** The rank's main returned (it keeps serving its transports until the job ends). */
  returned(rank: number): void {
    const r = this.ranks[rank];
    if (r) r.returned = true;
  }

  /** The failure (ERR_DEADLOCK or ERR_COLL_MISMATCH, with every rank's state) when the job is dead, else undefined. Call it periodically. */
  check(): string | undefined {
    const now = this.now();
    let activity = 0;
    let stuck = true;
    let unfinished = 0;
    for (const r of this.ranks) {
      if (r.pulse) activity += r.pulse.activity;
      if (r.returned) continue;
      unfinished++;
      if (!r.pulse || now - r.at > STALE_PULSE_MS || (r.pulse.pending === 0 && !r.pulse.idle)) stuck = false;
    }
    if (activity !== this.lastActivity || !stuck || unfinished === 0) {
      this.lastActivity = activity;
      this.stalledSince = now;
      return undefined;
    }
    if (now - this.stalledSince < this.deadlockAfterMs) return undefined;
    const seconds = Math.round((now - this.stalledSince) / 100) / 10;
    const states = this.states();
    const body = `no frame has moved for ${seconds} s and no rank can make progress:\n  ${states.join("\n  ")}`;
    const mismatch = collectiveMismatch(states);
    if (mismatch) return `ERR_COLL_MISMATCH: ${mismatch}; every rank must call the same collectives in the same order, with the same root and op\n${body}`;
    return `ERR_DEADLOCK: ${body}\nevery receive needs a matching send and every rank must call each collective; check sources, tags, roots and the order of blocking calls`;
  }

  /** What every rank is doing, one line each, from its last pulse (the deadlock report, --timeout and SIGQUIT print these). */
  states(): string[] {
    const now = this.now();
    return this.ranks.map((r, rank) => {
      if (r.returned) return `rank ${rank} has returned from main (peers still waiting on it wait forever)`;
      const p = r.pulse;
      if (!p) return `rank ${rank} has not reported yet (starting, or computing since it started)`;
      const age = now - r.at;
      if (age > STALE_PULSE_MS) return `rank ${rank} is busy (computing: no report for ${(age / 1000).toFixed(1)} s)${p.pending > 0 ? `; last seen waiting on ${p.waits}` : ""}`;
      if (p.pending > 0) return `rank ${rank} is blocked in MPI, waiting on ${p.waits}`;
      if (p.idle) return `rank ${rank} is outside MPI, its main awaiting something that never settles (no timer, no MPI call)`;
      return `rank ${rank} is running outside MPI`;
    });
  }
}
