/**
 * NIC counters, shared with the ranks through a Float64Array so each rank's
 * `stats()` (and `--stats`) shows its NIC's numbers. One set per NIC (per VM):
 * every rank of the VM reports the same `nic.*` values.
 */

export const NIC_COUNTERS = [
  "doorbellsSeen",
  "descriptorFetches",
  "descriptorsProcessed",
  "framesSent",
  "framesReceived",
  "bytesSent",
  "bytesReceived",
  "retransmissions",
  "timeouts",
  "tailProbes",
  "naksSent",
  "naksReceived",
  "acksSent",
  "acksReceived",
  "probesSent",
  "duplicatesSuppressed",
  "outOfOrder",
  /** Frames held for a queue pair its host had not connected yet (taken once it is). */
  "heldUnconnected",
  "completions",
  "interruptsRaised",
  "interruptsCoalesced",
  "creditStalls",
  "busyMicroseconds",
  "wireDropped",
  "wireDuplicated",
  "wireReordered",
  /** Frames dropped because they did not come from a peer: malformed, no such QP, wrong tag or wrong address. */
  "strangers",
] as const;

/** Reasons a received frame is rejected (each counted as `rejected.<reason>`). */
export const REJECT_REASONS = [
  "short",
  "magic",
  "version",
  "opcode",
  "flags",
  "length",
  "qpn",
  "psnWindow",
  "key",
  "bounds",
  "noReceive",
  "completionQueueFull",
  "readId",
  "state",
  "ackRange",
  /** Carried no tag of ours. */
  "tag",
  /** Came from an address other than the one the QP was connected to. */
  "address",
  /** Right tag, but the host had not connected the QP yet (the peer resends). */
  "unconnected",
] as const;

export type NicCounter = (typeof NIC_COUNTERS)[number];
export type RejectReason = (typeof REJECT_REASONS)[number];

const index = new Map<string, number>();
for (const [i, n] of NIC_COUNTERS.entries()) index.set(n, i);
for (const [i, n] of REJECT_REASONS.entries()) index.set(`rejected.${n}`, NIC_COUNTERS.length + i);
export const COUNTER_SLOTS = NIC_COUNTERS.length + REJECT_REASONS.length;

export class NicCounters {
  readonly values: Float64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.values = new Float64Array(buffer);
  }

  static allocate(): SharedArrayBuffer {
    return new SharedArrayBuffer(COUNTER_SLOTS * 8);
  }

  add(name: NicCounter, n = 1): void {
    this.values[index.get(name)!]! += n;
  }

  set(name: NicCounter, value: number): void {
    this.values[index.get(name)!] = value;
  }

  reject(reason: RejectReason): void {
    this.values[index.get(`rejected.${reason}`)!]! += 1;
  }

  get(name: string): number {
    const i = index.get(name);
    return i === undefined ? 0 : this.values[i]!;
  }

  /** Every counter under `prefix` (rejects only when non-zero, to keep --stats readable), plus their total. */
  snapshot(prefix: string): Record<string, number> {
    const out: Record<string, number> = {};
    let rejected = 0;
    for (const n of NIC_COUNTERS) out[`${prefix}${n}`] = Math.round(this.get(n) * 1000) / 1000;
    for (const r of REJECT_REASONS) {
      const v = this.get(`rejected.${r}`);
      rejected += v;
      if (v > 0) out[`${prefix}rejected.${r}`] = v;
    }
    out[`${prefix}rejected`] = rejected;
    return out;
  }
}
