/**
 * The NIC's side of the completion queues: writing completion entries into a
 * rank's CQ in shared memory, and the interrupt line with coalescing — raise
 * after `coalesceFrames` completions or `coalesceUs` after the first pending
 * one, whichever comes first, and only if the host armed its CQ (a host that
 * is not armed is polling and finds the entries itself).
 */
import { nowMs } from "./costs.ts";
import type { NicCounters } from "./counters.ts";
import { C_A, C_B, C_C, C_PEER, C_TYPE, type NicLayout, R_CQ_ARMED, R_CQ_HEAD, R_CQ_TAIL, R_IRQ } from "./layout.ts";
import type { NicMode, NicProfile } from "./profiles.ts";

export class CompletionQueues {
  private readonly ctl: Int32Array;
  private readonly layout: NicLayout;
  private readonly counters: NicCounters;
  private readonly profile: NicProfile;
  private readonly mode: NicMode;
  private readonly tail: Int32Array;
  private readonly pending: Int32Array;
  private readonly pendingSince: Float64Array;

  constructor(ctl: Int32Array, layout: NicLayout, counters: NicCounters, profile: NicProfile, mode: NicMode) {
    this.ctl = ctl;
    this.layout = layout;
    this.counters = counters;
    this.profile = profile;
    this.mode = mode;
    const l = layout.config.ranks.length;
    this.tail = new Int32Array(l);
    for (let i = 0; i < l; i++) this.tail[i] = Atomics.load(ctl, layout.rankWord(i, R_CQ_TAIL));
    this.pending = new Int32Array(l);
    this.pendingSince = new Float64Array(l);
  }

  /** Room for one more completion in `local`'s CQ? */
  room(local: number): boolean {
    const head = Atomics.load(this.ctl, this.layout.rankWord(local, R_CQ_HEAD));
    return ((this.tail[local]! - head) | 0) < this.layout.config.cqDepth;
  }

  /** Write a completion entry; false when the CQ is full (callers check room() when an entry must not be lost). */
  write(local: number, type: number, peer: number, a: number, b: number, c: number): boolean {
    if (!this.room(local)) return false;
    const tail = this.tail[local]!;
    const at = this.layout.cqe(local, tail >>> 0);
    const ctl = this.ctl;
    ctl[at + C_TYPE] = type;
    ctl[at + C_PEER] = peer;
    ctl[at + C_A] = a;
    ctl[at + C_B] = b;
    ctl[at + C_C] = c;
    this.tail[local] = (tail + 1) | 0;
    Atomics.store(ctl, this.layout.rankWord(local, R_CQ_TAIL), this.tail[local]!);
    this.counters.add("completions");
    if (this.mode === "interrupt") {
      if (this.pending[local] === 0) this.pendingSince[local] = nowMs();
      this.pending[local]!++;
      if (this.profile.coalesceUs <= 0 || this.pending[local]! >= this.profile.coalesceFrames) this.raise(local);
    }
    return true;
  }

  /** Raise the interrupt line of `local` if its host armed the CQ; completions since the last one are coalesced. */
  private raise(local: number): void {
    const n = this.pending[local]!;
    this.pending[local] = 0;
    if (n === 0) return;
    const at = this.layout.rankWord(local, 0);
    if (Atomics.load(this.ctl, at + R_CQ_ARMED) === 0) return;
    Atomics.store(this.ctl, at + R_CQ_ARMED, 0);
    Atomics.add(this.ctl, at + R_IRQ, 1);
    Atomics.notify(this.ctl, at + R_IRQ);
    this.counters.add("interruptsRaised");
    this.counters.add("interruptsCoalesced", n - 1);
  }

  /** Raise interrupts whose coalescing delay ran out; returns the next deadline (ms) or 0. */
  due(now: number): number {
    let next = 0;
    const delay = this.profile.coalesceUs / 1000;
    for (let local = 0; local < this.pending.length; local++) {
      if (this.pending[local] === 0) continue;
      const at = this.pendingSince[local]! + delay;
      if (at <= now) this.raise(local);
      else if (next === 0 || at < next) next = at;
    }
    return next;
  }
}
