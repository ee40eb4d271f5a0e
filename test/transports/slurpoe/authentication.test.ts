// SLURPoE queue pairs accept frames only from the peer they were connected to:
// the QP's tag and the connected address, checked before any state moves.
// Spoofed SENDs, ACKs and NAKs (wrong tag, or right tag from the wrong
// address) are dropped and counted as strangers; a frame is never sent
// anywhere but to the connected address.
import { describe, expect, it } from "vitest";
import { decodeHeader, emptyHeader, encodeFrame, Flag, NakReason, Opcode } from "../../../transports/slurpoe/codec.ts";
import { Completion, qpNumber, WorkOp } from "../../../transports/slurpoe/layout.ts";
import { createNic } from "../../../transports/slurpoe/nic.ts";
import { NicEngine } from "../../../transports/slurpoe/nic-engine.ts";
import { HostQueues } from "../../../transports/slurpoe/verbs.ts";
import { completions, pair } from "./pair.ts";

/** A frame from rank 1's QP to rank 0's, with the given tag. */
function forged(opcode: number, psn: number, tag: [number, number], payload?: Uint8Array, a = 0, b = 0, c = 0): Uint8Array {
  const h = { ...emptyHeader(), opcode, flags: Flag.FIRST | Flag.LAST | Flag.ACK_REQUEST, dstQpn: qpNumber(0, 1, 2), srcQpn: qpNumber(1, 0, 2), psn, a, b, c };
  h.tagHigh = tag[0];
  h.tagLow = tag[1];
  return encodeFrame(h, payload);
}

describe("SLURPoE authentication", () => {
  it("drops SEND, ACK and NAK frames with a wrong tag before they touch any state", () => {
    const { a, b, exchange } = pair();
    a.host.post(1, WorkOp.SEND, a.keys.staging, 0, 16);
    a.host.ring();
    a.nic.doorbells();
    // The SEND is in flight, its ACK not yet back: a forged ACK, ACCESS NAK or SEND from the right address must do nothing.
    const q = a.nic.qp(0, 1);
    const wrong: [number, number] = [0x12345678, 0x9abcdef0];
    a.nic.receive(forged(Opcode.ACK, 1, wrong, undefined, 32, 0), 1001, "127.0.0.1");
    a.nic.receive(forged(Opcode.NAK, 0, wrong, undefined, NakReason.ACCESS), 1001, "127.0.0.1");
    a.nic.receive(forged(Opcode.SEND, 0, wrong, new Uint8Array(8), 8, 0), 1001, "127.0.0.1");
    expect(a.counters.get("strangers")).toBe(3);
    expect(a.counters.get("rejected.tag")).toBe(3);
    expect(q.sendUnacked).toBe(0);
    expect(q.error).toBe(0);
    expect(q.expected).toBe(0);
    expect(a.counters.get("acksReceived")).toBe(0);
    expect(completions(a.host)).toEqual([]);
    // The real exchange still completes.
    exchange();
    expect(a.host.completed(1)).toBe(1);
    expect(completions(b.host).map((c) => c.type)).toEqual([Completion.RECEIVE]);
  });

  it("drops frames with the right tag from any address but the connected one", () => {
    const { a, b, exchange } = pair();
    const qb = b.nic.qp(0, 0);
    const tag = [qb.tagInHigh, qb.tagInLow];
    // Rank 1's NIC ("b") is connected to rank 0 at 127.0.0.1:1000. A frame carrying the right tag from elsewhere:
    const h = { ...emptyHeader(), opcode: Opcode.SEND, flags: Flag.FIRST | Flag.LAST, dstQpn: qpNumber(1, 0, 2), srcQpn: qpNumber(0, 1, 2), a: 4 };
    h.tagHigh = tag[0];
    h.tagLow = tag[1];
    const f = encodeFrame(h, new Uint8Array(4));
    b.nic.receive(f, 1000, "127.0.0.2");
    b.nic.receive(f, 4444, "127.0.0.1");
    expect(b.counters.get("rejected.address")).toBe(2);
    expect(b.counters.get("strangers")).toBe(2);
    expect(completions(b.host)).toEqual([]);
    expect(qb.expected).toBe(0);
    a.host.post(1, WorkOp.SEND, a.keys.staging, 0, 4);
    a.host.ring();
    a.nic.doorbells();
    exchange();
    expect(completions(b.host)).toHaveLength(1);
  });

  it("sends nothing on a QP the host has not connected, and holds its tagged frames until then, taking them once it is", () => {
    const setups = [createNic([0], 2, {}), createNic([1], 2, {})];
    const sent: { frame: Uint8Array; port: number; address: string }[][] = [[], []];
    const nics = setups.map((s, r) => new NicEngine(s.shared, (frame, port, address) => sent[r]!.push({ frame, port, address })));
    const hosts = setups.map((s, r) => new HostQueues(s.shared, r));
    const keys = setups.map((s, r) => s.keys[0]![1 - r]!);
    // Rank 0 connects; rank 1 has not yet.
    hosts[0]!.connect(1, 0x7f000001, 2001, ...keys[1]!.tag);
    hosts[0]!.post(1, WorkOp.SEND, keys[0]!.staging, 0, 8);
    hosts[0]!.ring();
    nics[0]!.doorbells();
    expect(sent[0]!.map((s) => s.port)).toEqual([2001]);
    nics[1]!.receive(sent[0]!.shift()!.frame, 2000, "127.0.0.1");
    expect(nics[1]!.counters.get("heldUnconnected")).toBe(1);
    expect(nics[1]!.counters.get("rejected.unconnected")).toBe(0);
    expect(nics[1]!.counters.get("strangers")).toBe(0);
    // Rank 1 never sent anything anywhere (no ACK to an address it was not given).
    expect(sent[1]).toEqual([]);
    expect(nics[1]!.busy()).toBe(true);
    hosts[1]!.connect(0, 0x7f000001, 2000, ...keys[0]!.tag);
    // The NIC's next tick finds the QP connected and takes the held frame: no resend needed.
    nics[1]!.tick();
    const got: number[] = [];
    hosts[1]!.poll((type) => got.push(type));
    expect(got).toEqual([Completion.RECEIVE]);
    // The sender's resend is a duplicate now: suppressed, and answered.
    nics[0]!.tick(performance.now() + 1e5);
    for (const s of sent[0]!.splice(0)) nics[1]!.receive(s.frame, 2000, "127.0.0.1");
    hosts[1]!.poll((type) => got.push(type));
    expect(got).toEqual([Completion.RECEIVE]);
    expect(sent[1]!.every((s) => s.port === 2000 && s.address === "127.0.0.1")).toBe(true);
    // Every frame carries the destination QP's tag.
    const out = emptyHeader();
    for (const s of sent[1]!) {
      expect(decodeHeader(s.frame, out)).toBeUndefined();
      expect([out.tagHigh, out.tagLow]).toEqual(keys[0]!.tag);
    }
  });

  it("gives every queue pair its own random tag", () => {
    const a = createNic([0, 1], 4, {}).keys.flat();
    const b = createNic([0, 1], 4, {}).keys.flat();
    const tags = [...a, ...b].filter((k) => k.staging !== 0).map((k) => k.tag.join(":"));
    expect(new Set(tags).size).toBe(tags.length);
  });
});
