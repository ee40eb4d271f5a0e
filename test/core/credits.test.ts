// Eager credits keep the unexpected queue bounded: a receiver that posts
// nothing holds at most EAGER_CREDITS eager payloads per sender; the rest wait
// at the sender as rendezvous envelopes, and order is still kept.
import { describe, expect, it } from "vitest";
import { Comm } from "../../src/api/comm.ts";
import { ResolvedPlacement } from "../../src/placement/resolved.ts";
import { EAGER_CREDITS } from "../../src/core/sender.ts";
import { RankCore } from "../../src/core/rank-core.ts";
import { MemoryKeyValueStore } from "../../src/control/kvs.ts";
import type { Deliver } from "../../src/transport/contract.ts";
import openMemory from "../../transports/memory/index.ts";

async function pair(): Promise<Comm[]> {
  const bus: Deliver[] = [];
  const kvs = new MemoryKeyValueStore();
  const comms: Comm[] = [];
  const services = {
    placement: ResolvedPlacement.singleVm(2, "memory"),
    settings: {},
    abort: (): never => {
      throw new Error("abort");
    },
  };
  for (const rank of [0, 1]) {
    let core: RankCore | undefined;
    const t = await openMemory({
      rank,
      size: 2,
      peers: [1 - rank],
      deliver: (s, f) => core!.deliver(s, f),
      onPeerLost: () => {},
      onWritable: () => {},
      options: { bus },
      settings: {},
      kvs,
    });
    core = new RankCore({ rank, size: 2, transports: rank === 0 ? [undefined, t] : [t, undefined], spinMicroseconds: 0 });
    comms.push(new Comm(core, 0, Int32Array.of(0, 1), services));
  }
  return comms;
}

describe("eager credits", () => {
  it("bound the eager payloads a silent receiver buffers, and keep order", async () => {
    const [a, b] = await pair();
    const count = EAGER_CREDITS * 4;
    const sends = Array.from({ length: count }, (_, i) => a!.isend(Float64Array.of(i), 1, 3));
    for (let turn = 0; turn < 20; turn++) await new Promise((r) => setImmediate(r));
    const unexpected = b!.p2p.unexpectedInOrder();
    expect(unexpected.length).toBe(count);
    expect(unexpected.filter((m) => !m.rendezvous).length).toBe(EAGER_CREDITS);
    for (let i = 0; i < count; i++) {
      const m = await b!.recv<Float64Array>(0, 3);
      expect(m.data[0]).toBe(i);
    }
    await Promise.all(sends);
    // Credits came back: the next small message travels eagerly again.
    for (let turn = 0; turn < 5; turn++) await new Promise((r) => setImmediate(r));
    void a!.isend(Float64Array.of(-1), 1, 4);
    for (let turn = 0; turn < 5; turn++) await new Promise((r) => setImmediate(r));
    expect(b!.p2p.unexpectedInOrder().map((m) => m.rendezvous)).toEqual([false]);
  });

  it("come back with the next eager message the other way, so a window after an acknowledgement is all eager", async () => {
    const [a, b] = await pair();
    const settle = async (): Promise<void> => {
      for (let turn = 0; turn < 5; turn++) await new Promise((r) => setImmediate(r));
    };
    // Fewer than a CREDIT frame's batch: b owes a these credits and sends no frame for them.
    const owed = EAGER_CREDITS / 2 - 1;
    for (let i = 0; i < owed; i++) {
      void a!.isend(Float64Array.of(i), 1, 1);
      expect((await b!.recv<Float64Array>(0, 1)).data[0]).toBe(i);
    }
    // The acknowledgement carries them back.
    void b!.isend(Uint8Array.of(1), 0, 2);
    expect((await a!.recv<Uint8Array>(1, 2)).data[0]).toBe(1);
    // A whole window to a receiver that posts nothing yet: every message eager.
    const sends = Array.from({ length: EAGER_CREDITS }, (_, i) => a!.isend(Float64Array.of(i), 1, 3));
    await settle();
    expect(b!.p2p.unexpectedInOrder().map((m) => m.rendezvous)).toEqual(new Array(EAGER_CREDITS).fill(false));
    // One more goes by rendezvous: the credits are not counted twice.
    void a!.isend(Float64Array.of(-1), 1, 3);
    await settle();
    expect(b!.p2p.unexpectedInOrder().filter((m) => m.rendezvous).length).toBe(1);
    for (let i = 0; i < EAGER_CREDITS; i++) expect((await b!.recv<Float64Array>(0, 3)).data[0]).toBe(i);
    expect((await b!.recv<Float64Array>(0, 3)).data[0]).toBe(-1);
    await Promise.all(sends);
  });
});
