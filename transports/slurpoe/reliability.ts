/**
 * Timers of the NIC's reliable delivery: the retransmission timeout (RFC 6298
 * smoothing, Karn's rule, doubling backoff), go-back-N resends, the tail-loss
 * probe, the credit probe, and delayed ACKs / credit updates. Driven by the
 * NIC thread's 1 ms tick.
 */
import { nowMs } from "./costs.ts";
import { Q_CREDIT, Q_RQ_POSTED, Q_WANTS_ROOM } from "./layout.ts";
import type { NicPorts } from "./nic-ports.ts";
import type { QueuePair } from "./queue-pair.ts";
import { takeHeld } from "./receive.ts";

/** Go back N: resend everything not yet acknowledged. */
export function retransmit(nic: NicPorts, q: QueuePair): void {
  for (let k = q.inflightHead; k < q.inflight.length; k++) {
    const f = q.inflight[k]!;
    f.resent = true;
    nic.counters.add("retransmissions");
    nic.transmit(q, f.frame);
  }
  q.lastProgress = nowMs();
}

/** RFC 6298 smoothing; a loaded host's late ACKs stretch the timeout instead of causing spurious resends. */
export function sampleRoundTrip(q: QueuePair, rtt: number): void {
  if (q.srtt === 0) {
    q.srtt = rtt;
    q.rttvar = rtt / 2;
  } else {
    q.rttvar = 0.75 * q.rttvar + 0.25 * Math.abs(q.srtt - rtt);
    q.srtt = 0.875 * q.srtt + 0.125 * rtt;
  }
}

/** Retransmission timeout of `q`, ms: the profile's value is the floor. */
export function timeout(retransmitMs: number, q: QueuePair): number {
  return Math.min(Math.max(retransmitMs, q.srtt + 4 * q.rttvar), 1000) * q.backoff;
}

/** Periodic work (every millisecond): retransmission timeouts, probes, delayed ACKs, credit updates. */
export function tick(nic: NicPorts, now: number): void {
  const ctl = nic.ctl;
  for (const q of nic.active) {
    if (q.error) continue;
    if (q.held && nic.connected(q)) takeHeld(nic, q);
    const rto = timeout(nic.profile.retransmitMs, q);
    // Tail-loss probe: half a timeout without progress, resend only the newest packet. If it was lost the
    // peer takes it (or NAKs the gap before it); if only its ACK was lost the duplicate draws a fresh ACK.
    if (q.inflightCount > 0 && !q.probed && now - q.lastProgress > rto / 2) {
      q.probed = true;
      const last = q.inflight[q.inflight.length - 1]!;
      last.resent = true;
      nic.counters.add("retransmissions");
      nic.counters.add("tailProbes");
      nic.transmit(q, last.frame);
    }
    if (q.inflightCount > 0 && now - q.lastProgress > rto) {
      nic.counters.add("timeouts");
      q.backoff = Math.min(q.backoff * 2, 8);
      retransmit(nic, q);
    }
    const at = nic.layout.qpWord(q.index, 0);
    // Nothing in flight, yet waiting for the peer's credits: its update may have been lost, so ask.
    if (q.inflightCount === 0 && (q.stalled || Atomics.load(ctl, at + Q_WANTS_ROOM) !== 0) && q.port !== 0 && now - q.lastProgress > rto) {
      q.backoff = Math.min(q.backoff * 2, 8);
      q.lastProgress = now;
      nic.probe(q);
    }
    if (
      q.unacked > 0 ||
      (q.port !== 0 && (Atomics.load(ctl, at + Q_RQ_POSTED) !== q.advertisedPosted || Atomics.load(ctl, at + Q_CREDIT) !== q.advertisedCredit))
    ) {
      nic.ack(q);
    }
    if (q.hasSendWork()) nic.pump(q);
  }
}
