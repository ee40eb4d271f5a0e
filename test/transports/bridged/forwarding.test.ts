import { describe, expect, it } from "vitest";
import { ForwardingTable, type Port } from "../../../transports/bridged/forwarding.ts";
import { encodeFrame, FrameDecoder, WireType } from "../../../transports/stream/wire.ts";

interface FakePort extends Port {
  sent: { type: number; source: number; dest: number; bytes: number }[];
  paused: boolean;
  backlog: number;
}

function port(name: string, kind: "vm" | "bridge", rank = -1): FakePort {
  const p: FakePort = {
    name,
    kind,
    rank,
    sent: [],
    paused: false,
    backlog: 0,
    write(frame: Buffer, written?: () => void) {
      const d = new FrameDecoder({ maxBody: 1 << 20, minData: 40, size: 16 }, (type, source, dest, body) =>
        p.sent.push({ type, source, dest, bytes: body.byteLength }),
      );
      d.push(frame);
      p.backlog += frame.byteLength;
      written?.();
    },
    queued: () => p.backlog,
    pause: () => {
      p.paused = true;
    },
    resume: () => {
      p.paused = false;
    },
  };
  return p;
}

const body = (n = 100): Uint8Array => new Uint8Array(n);
/** A table on a clock the test moves; `failures` collects what it would end the job with, `logged` its log lines. */
function setup(queueBytes = 1 << 20, holdBytes = 1 << 20) {
  const failures: string[] = [];
  const logged: string[] = [];
  const clock = { now: 0 };
  const t = new ForwardingTable({ queueBytes, holdBytes, holdMs: 5000, log: (l) => logged.push(l), fail: (w) => failures.push(w), now: () => clock.now });
  return { t, failures, logged, clock };
}
/** Ranks 0 and 1 on this bridge, and a port to another bridge. */
function twoVmsAndABridge(t: ForwardingTable) {
  const a = port("rank 0", "vm", 0);
  const b = port("rank 1", "vm", 1);
  const bridge = port("bridge 1", "bridge");
  t.addVm(a);
  t.addVm(b);
  t.addBridge(bridge);
  return { a, b, bridge };
}
const table = (queueBytes = 1 << 20, holdBytes = 1 << 20): ForwardingTable => setup(queueBytes, holdBytes).t;

describe("ForwardingTable", () => {
  it("forwards between local VMs by destination, copying the frame", () => {
    const t = table();
    const a = port("rank 0", "vm", 0);
    const b = port("rank 1", "vm", 1);
    t.addVm(a);
    t.addVm(b);
    const frame = body();
    t.frame(a, WireType.DATA, 0, 1, frame);
    expect(b.sent).toEqual([{ type: WireType.DATA, source: 0, dest: 1, bytes: 100 }]);
    expect(a.sent).toEqual([]);
    expect(t.counters.framesOut).toBe(1);
  });

  it("announces local ranks to other bridges and learns theirs; frames from a bridge never go back to a bridge", () => {
    const t = table();
    const bridge = port("bridge 1", "bridge");
    const other = port("bridge 2", "bridge");
    const a = port("rank 0", "vm", 0);
    t.addBridge(bridge);
    t.addVm(a);
    expect(bridge.sent).toEqual([{ type: WireType.ANNOUNCE, source: 0, dest: -1, bytes: 0 }]);
    t.addBridge(other);
    expect(other.sent).toEqual([{ type: WireType.ANNOUNCE, source: 0, dest: -1, bytes: 0 }]);
    t.frame(bridge, WireType.ANNOUNCE, 5, -1, body(0));
    t.frame(a, WireType.DATA, 0, 5, body());
    expect(bridge.sent.at(-1)).toEqual({ type: WireType.DATA, source: 0, dest: 5, bytes: 100 });
    // Split horizon: a frame from another bridge for a remote rank is held, not sent on.
    t.frame(other, WireType.DATA, 9, 5, body());
    expect(bridge.sent.filter((s) => s.type === WireType.DATA)).toHaveLength(1);
  });

  it("holds frames for a rank not yet learned and releases them in order when it appears", () => {
    const t = table();
    const a = port("rank 0", "vm", 0);
    t.addVm(a);
    for (let i = 1; i <= 3; i++) t.frame(a, WireType.DATA, 0, 2, body(40 + i));
    const b = port("rank 2", "vm", 2);
    t.addVm(b);
    expect(b.sent.map((s) => s.bytes)).toEqual([41, 42, 43]);
    expect(t.counters.maxHeld).toBe(3);
  });

  it("pauses the input that fills the hold queue, keeps every frame, and resumes it once they are released", () => {
    const { t, failures } = setup(1 << 20, 300);
    const a = port("rank 0", "vm", 0);
    const c = port("rank 1", "vm", 1);
    t.addVm(a);
    t.addVm(c);
    t.frame(a, WireType.DATA, 0, 3, body(200));
    expect(a.paused).toBe(false);
    t.frame(a, WireType.DATA, 0, 3, body(200));
    expect(a.paused).toBe(true);
    t.frame(c, WireType.DATA, 1, 3, body(60));
    expect(c.paused).toBe(true);
    expect(t.counters.holdBackpressure).toBe(2);
    const d = port("rank 3", "vm", 3);
    t.addVm(d);
    expect(d.sent.map((s) => [s.source, s.bytes])).toEqual([
      [0, 200],
      [0, 200],
      [1, 60],
    ]);
    expect([a.paused, c.paused]).toEqual([false, false]);
    expect(t.counters.drops).toBe(0);
    expect(failures).toEqual([]);
  });

  it("fails the job, naming what it could not deliver: a lying source, a frame for a lost rank, a frame held too long", () => {
    const { t, failures, clock } = setup();
    const a = port("rank 0", "vm", 0);
    const b = port("rank 1", "vm", 1);
    t.addVm(a);
    t.addVm(b);
    t.frame(a, WireType.DATA, 7, 1, body(50));
    expect(failures.at(-1)).toMatch(/a frame from rank 0 claims to come from rank 7/);
    t.closed(b, false);
    t.frame(a, WireType.DATA, 0, 1, body(50));
    expect(failures.at(-1)).toMatch(/for rank 1, whose VM lost its link/);
    t.frame(a, WireType.DATA, 0, 5, body(50));
    clock.now = 4000;
    t.expireHeld();
    expect(failures).toHaveLength(2);
    clock.now = 6000;
    t.expireHeld();
    expect(failures.at(-1)).toMatch(/1 frame\(s\) for rank 5 waited 6 s/);
    expect(t.counters.drops).toBe(3);
  });

  it("throws away, counts and logs frames for a rank that said goodbye, without failing the job", () => {
    const { t, failures, logged } = setup();
    const { a, b, bridge } = twoVmsAndABridge(t);
    t.closed(b, true);
    t.frame(a, WireType.DATA, 0, 1, body(50));
    // Through another bridge, which still believes rank 1 is here.
    t.frame(bridge, WireType.DATA, 4, 1, body(50));
    expect(t.counters.afterGoodbye).toBe(2);
    expect(logged.filter((l) => /had finished/.test(l))).toHaveLength(1);
    expect(failures).toEqual([]);
    expect(t.snapshot().held).toBe(0);
  });

  it("pauses an input whose destination queue is over the bound and resumes it on drain", () => {
    const t = table(1000);
    const a = port("rank 0", "vm", 0);
    const b = port("rank 1", "vm", 1);
    t.addVm(a);
    t.addVm(b);
    t.frame(a, WireType.DATA, 0, 1, body(500));
    expect(a.paused).toBe(false);
    t.frame(a, WireType.DATA, 0, 1, body(600));
    expect(a.paused).toBe(true);
    expect(t.counters.backpressure).toBe(1);
    b.backlog = 0;
    t.drained(b);
    expect(a.paused).toBe(false);
  });

  it("tells everyone about a rank lost without goodbye, and nobody about a clean close", () => {
    const t = table();
    const { a, b, bridge } = twoVmsAndABridge(t);
    t.closed(a, false);
    expect(b.sent).toEqual([{ type: WireType.LOST, source: 0, dest: -1, bytes: 0 }]);
    expect(bridge.sent.at(-1)).toEqual({ type: WireType.LOST, source: 0, dest: -1, bytes: 0 });
    t.closed(b, true);
    expect(bridge.sent.filter((s) => s.type === WireType.LOST)).toHaveLength(1);
    expect(encodeFrame(WireType.BYE, 0, -1).byteLength).toBe(16);
  });
});
