// Two NIC engines driven by hand (no threads, no sockets): doorbells, descriptor
// fetches, SEND, RDMA WRITE with immediate, RDMA READ, coalesced interrupts,
// recovery from a lost frame, and an access error that breaks the queue pair.
import { describe, expect, it } from "vitest";
import { Access, Completion, R_IRQ, WorkOp } from "../../../transports/slurpoe/layout.ts";
import { MemoryTable } from "../../../transports/slurpoe/memory.ts";
import { completions, pair } from "./pair.ts";

describe("NIC engine", () => {
  it("fetches one descriptor batch per doorbell write and delivers SENDs into posted receive buffers", () => {
    const { a, b, exchange } = pair();
    const base = a.host.layout.qpMemory(1);
    for (let i = 0; i < 3; i++) {
      a.host.memory.fill(10 + i, base + i * 64, base + i * 64 + 20);
      expect(a.host.post(1, WorkOp.SEND, a.keys.staging, i * 64, 20)).toBe(true);
    }
    a.host.ring();
    a.nic.doorbells();
    expect(a.counters.get("doorbellsSeen")).toBe(1);
    expect(a.counters.get("descriptorFetches")).toBe(1);
    for (let i = 3; i < 6; i++) {
      a.host.post(1, WorkOp.SEND, a.keys.staging, 0, 0);
      a.host.ring();
    }
    a.nic.doorbells();
    expect(a.counters.get("doorbellsSeen")).toBe(4);
    expect(a.counters.get("descriptorFetches")).toBe(4);
    exchange();
    const got = completions(b.host);
    expect(got.map((c) => c.type)).toEqual(Array(6).fill(Completion.RECEIVE));
    for (let i = 0; i < 3; i++) {
      const at = b.host.layout.qpMemory(0) + b.host.layout.receiveSlotAt(got[i]!.a);
      expect(got[i]!.b).toBe(20);
      expect([...b.host.memory.subarray(at, at + 20)]).toEqual(Array(20).fill(10 + i));
    }
    // ACKs came back: every work request completed.
    expect(a.host.completed(1)).toBe(6);
  });

  it("places an RDMA WRITE with immediate straight into the peer's registered region", () => {
    const { a, b, exchange } = pair({ "nic.mtu": "1500" });
    const peerLanding = b.keys.landing;
    const n = 5000; // several 1500-B packets
    const base = a.host.layout.qpMemory(1);
    for (let i = 0; i < n; i++) a.host.memory[base + i] = i & 255;
    a.host.post(1, WorkOp.RDMA_WRITE_IMM, a.keys.staging, 0, n, peerLanding, 4096, 777);
    a.host.ring();
    a.nic.doorbells();
    exchange();
    const [c] = completions(b.host);
    expect(c).toEqual({ type: Completion.WRITE_IMMEDIATE, a: 777, b: 4096, c: n });
    const at = b.host.layout.qpMemory(0) + b.host.layout.landingAt + 4096;
    for (let i = 0; i < n; i += 499) expect(b.host.memory[at + i]).toBe(i & 255);
  });

  it("answers an RDMA READ from a region registered for remote reads", () => {
    const { a, b, exchange } = pair({ "nic.mtu": "1500" });
    const source = new MemoryTable(b.host.ctl, b.host.layout, 0, 5).register(0, 8192, Access.REMOTE_READ, b.host.layout.memoryBytes);
    for (let i = 0; i < 3000; i++) b.host.memory[100 + i] = (i * 7) & 255;
    const sink = new MemoryTable(a.host.ctl, a.host.layout, 0, 9).register(
      a.host.layout.qpMemory(1) + a.host.layout.landingAt,
      8192,
      Access.LOCAL_WRITE,
      a.host.layout.memoryBytes,
    );
    a.host.post(1, WorkOp.RDMA_READ, sink, 10, 3000, source, 100);
    a.host.ring();
    a.nic.doorbells();
    exchange();
    expect(completions(a.host).map((c) => c.type)).toEqual([Completion.READ_DONE]);
    const at = a.host.layout.qpMemory(1) + a.host.layout.landingAt + 10;
    for (let i = 0; i < 3000; i += 101) expect(a.host.memory[at + i]).toBe((i * 7) & 255);
  });

  it("coalesces interrupts: after N completions, or once the delay runs out", () => {
    const { a, b, exchange } = pair({ "nic.coalesceFrames": "2", "nic.coalesceUs": "1000000" });
    const irq = () => Atomics.load(b.host.ctl, b.host.layout.rankWord(0, R_IRQ));
    b.host.arm();
    const send = () => {
      a.host.post(1, WorkOp.SEND, a.keys.staging, 0, 8);
      a.host.ring();
      a.nic.doorbells();
      exchange();
    };
    send();
    expect(irq()).toBe(0);
    send();
    expect(irq()).toBe(1);
    expect(b.counters.get("interruptsCoalesced")).toBe(1);
    // Not armed: completions are found by polling, no interrupt.
    send();
    expect(b.nic.interrupts(performance.now() + 2e6)).toBe(0);
    expect(irq()).toBe(1);
    // Armed with one pending: the delay fires it.
    b.host.arm();
    send();
    expect(b.nic.interrupts(performance.now())).toBeGreaterThan(0);
    expect(b.nic.interrupts(performance.now() + 2e6)).toBe(0);
    expect(irq()).toBe(2);
  });

  it("recovers a lost frame (NAK and go-back-N, or the timer) and suppresses the duplicate", () => {
    const { a, b, exchange } = pair();
    for (let i = 0; i < 4; i++) a.host.post(1, WorkOp.SEND, a.keys.staging, 0, 16);
    a.host.ring();
    a.nic.doorbells();
    // Lose the first data frame: the next ones arrive out of order and draw a NAK.
    exchange((_f, n) => n === 0);
    a.nic.tick(performance.now() + 1e5);
    exchange();
    expect(completions(b.host)).toHaveLength(4);
    expect(a.host.completed(1)).toBe(4);
    expect(a.counters.get("retransmissions")).toBeGreaterThan(0);
    expect(b.counters.get("outOfOrder")).toBeGreaterThan(0);
    // Resend something already placed: suppressed, not delivered twice.
    a.nic.tick(performance.now() + 1e5);
    exchange();
    expect(completions(b.host)).toHaveLength(0);
  });

  it("rejects a write with a bad key, writes nothing, and breaks the sender's queue pair", () => {
    const { a, b, exchange } = pair();
    const before = b.host.memory.slice();
    a.host.post(1, WorkOp.RDMA_WRITE, a.keys.staging, 0, 64, b.keys.landing ^ 0x55, 0);
    a.host.ring();
    a.nic.doorbells();
    exchange();
    expect(b.counters.get("rejected.key")).toBe(1);
    expect(Buffer.compare(b.host.memory, before)).toBe(0);
    expect(completions(a.host)).toEqual([{ type: Completion.ERROR, a: 3, b: 0, c: 0 }]);
  });
});
