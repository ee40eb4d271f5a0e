// A big rendezvous transfer goes out one fragment at a time, so a small
// message sent after it is not held back for the whole transfer when the
// transport pushes back.
import { describe, expect, it } from "vitest";
import { Comm } from "../../src/api/comm.ts";
import { ResolvedPlacement } from "../../src/placement/resolved.ts";
import { FrameType } from "../../src/core/frames.ts";
import { RankCore } from "../../src/core/rank-core.ts";
import type { Deliver, Transport } from "../../src/transport/contract.ts";

/** A transport that holds at most `room` frames until the test lets them through. */
class Throttled implements Transport {
  readonly name = "throttled";
  readonly limits = { eagerLimit: 1024, maxFrameBytes: 4096 + 64, fragmentBytes: 4096 };
  readonly capabilities = { progress: "event" } as const;
  readonly wire: { to: number; frame: Uint8Array }[] = [];
  room = 3;
  trySend(peer: number, header: Uint8Array, payload: Uint8Array | undefined): boolean {
    if (this.wire.length >= this.room) return false;
    const frame = new Uint8Array(header.byteLength + (payload?.byteLength ?? 0));
    frame.set(header);
    if (payload) frame.set(payload, header.byteLength);
    this.wire.push({ to: peer, frame });
    return true;
  }
  async close(): Promise<void> {}
}

describe("fragment pipelining", () => {
  it("lets a small message through between the fragments of a big one", async () => {
    const t = [new Throttled(), new Throttled()];
    const cores = [0, 1].map((r) => new RankCore({ rank: r, size: 2, transports: r === 0 ? [undefined, t[0]!] : [t[1]!, undefined], spinMicroseconds: 0 }));
    const services = {
      placement: ResolvedPlacement.singleVm(2, "throttled"),
      settings: {},
      abort: (): never => {
        throw new Error("abort");
      },
    };
    const comms = cores.map((c) => new Comm(c, 0, Int32Array.of(0, 1), services));
    const deliverAll = (from: number): string[] => {
      const kinds: string[] = [];
      const deliver: Deliver = cores[1 - from]!.deliver;
      for (const { frame } of t[from]!.wire.splice(0)) {
        kinds.push(Object.keys(FrameType).find((k) => FrameType[k as keyof typeof FrameType] === frame[0])!);
        deliver(from, frame);
      }
      cores[from]!.pollOnce(); // room again: queued frames and fragments move
      return kinds;
    };
    const big = new Uint8Array(64 * 1024).map((_, i) => i & 255);
    const bigRecv = comms[1]!.irecv<Uint8Array>(0, 1);
    const smallRecv = comms[1]!.irecv<string>(0, 2);
    const bigSend = comms[0]!.isend(big, 1, 1);
    deliverAll(0); // READY_TO_SEND
    deliverAll(1); // CLEAR_TO_SEND: fragments start
    const first = deliverAll(0);
    expect(first).toEqual(["DATA", "DATA", "DATA"]);
    const smallSend = comms[0]!.isend("small", 1, 2);
    const seen: string[] = [];
    for (let i = 0; i < 40 && !bigRecv.test(); i++) seen.push(...deliverAll(0));
    // The small message went out long before the 16 fragments of the big one were all sent.
    const at = seen.indexOf("EAGER");
    expect(at).toBeGreaterThanOrEqual(0);
    expect(seen.filter((k) => k === "DATA").length).toBeGreaterThan(at + 5);
    expect((await smallRecv).data).toBe("small");
    expect((await bigRecv).data).toEqual(big);
    await Promise.all([bigSend, smallSend]);
  });
});
