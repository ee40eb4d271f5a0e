/**
 * The NIC processor's own message rate, measured on the engine alone: one
 * thread plays host A, NIC A, NIC B and host B, frames pass between the two
 * engines in memory, and only NIC A's time (its doorbells, descriptor
 * fetches, per-descriptor work, DMA, line-rate pacing, and the ACKs it takes)
 * and host A's time (posting and ringing) are counted. This is the rate an
 * embedded core can sustain, free of the emulation's own thread wake-ups and
 * socket system calls — where the doorbell and per-descriptor costs of the
 * profile decide the result, as on the real board.
 */
import { Q_RQ_POSTED, WorkOp } from "../../transports/slurpoe/layout.ts";
import { enginePair, pairPort } from "../../transports/slurpoe/engine-pair.ts";

export interface NicRate {
  messages: number;
  /** Messages per second NIC A can process (its busy time only). */
  nicRate: number;
  /** Messages per second host A can post (its busy time only). */
  hostRate: number;
  nicUsPerMessage: number;
  hostUsPerMessage: number;
  descriptorReadsPerMessage: number;
}

export function measureNicRate(settings: Record<string, string>, batch: number, messages: number, bytes = 8): NicRate {
  const [a, b] = enginePair(settings);
  let nicMs = 0;
  let hostMs = 0;
  let posted = 0;
  const timed = (f: () => void): number => {
    const t = performance.now();
    f();
    return performance.now() - t;
  };
  while (a.host.completed(1) < messages) {
    hostMs += timed(() => {
      for (let k = 0; k < batch && posted < messages; k++) {
        if (!a.host.post(1, WorkOp.SEND, a.keys.staging, 0, bytes + 40)) break;
        posted++;
      }
      a.host.ring();
    });
    nicMs += timed(() => a.nic.doorbells());
    for (const f of a.out.splice(0)) b.nic.receive(f, pairPort(0), "127.0.0.1");
    // Host B consumes its completions and reposts the buffers (not counted).
    let got = 0;
    b.host.poll(() => got++);
    if (got) Atomics.add(b.host.ctl, b.host.qpWord(0, Q_RQ_POSTED), got);
    if (got) b.nic.ack(b.nic.qp(0, 0));
    const acks = b.out.splice(0);
    nicMs += timed(() => {
      for (const f of acks) a.nic.receive(f, pairPort(1), "127.0.0.1");
    });
  }
  const fetches = a.nic.counters.get("descriptorFetches");
  return {
    messages,
    nicRate: messages / (nicMs / 1000),
    hostRate: messages / (hostMs / 1000),
    nicUsPerMessage: (nicMs * 1000) / messages,
    hostUsPerMessage: (hostMs * 1000) / messages,
    descriptorReadsPerMessage: fetches / messages,
  };
}
