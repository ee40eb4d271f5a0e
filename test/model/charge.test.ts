import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompiledPath, segmentBounds } from "../../src/model/charge.ts";
import { Resources } from "../../src/model/resources.ts";
import { loneFrameSeconds, type Pair, type Stage } from "../../src/transport/cost.ts";

const pair: Pair = { src: { rank: 0, vm: "vm0", host: "h0" }, dst: { rank: 1, vm: "vm1", host: "h1" } };

const path: Stage[] = [
  { resource: "cpu@rank0", what: "send overhead", perFrame: 1e-6, perByte: 0 },
  { resource: "pcie@vm0", what: "DMA", perFrame: 0.5e-6, perByte: 1e-9 },
  { resource: "link@h0.tx", what: "link", perFrame: 0.1e-6, perByte: 0.8e-9, latency: 2e-6 },
  { resource: "pcie@vm1", what: "DMA", perFrame: 0.5e-6, perByte: 1e-9 },
  { resource: "cpu@rank1", what: "receive overhead", perFrame: 1e-6, perByte: 0 },
];

describe("charging a frame on its path", () => {
  it("a lone frame takes the sum of its stages", () => {
    const p = new CompiledPath(path, new Resources());
    const bytes = 1000;
    const expected = 1e-6 + (0.5e-6 + 1e-6) + (0.1e-6 + 0.8e-6 + 2e-6) + (0.5e-6 + 1e-6) + 1e-6;
    expect(p.charge(10, bytes) - 10).toBeCloseTo(expected, 12);
    expect(loneFrameSeconds(path, bytes)).toBeCloseTo(expected, 12);
  });

  it("two frames entering together queue on the first resource and pipeline after it", () => {
    const stages: Stage[] = [
      { resource: "a", what: "a", perFrame: 2, perByte: 0 },
      { resource: "b", what: "b", perFrame: 1, perByte: 0 },
    ];
    const p = new CompiledPath(stages, new Resources());
    expect(p.charge(0, 0)).toBe(3); // a: 0-2, b: 2-3
    expect(p.charge(0, 0)).toBe(5); // waits for a until 2; a: 2-4, b: 4-5
  });

  it("the slowest stage sets the pace of a stream (the bottleneck)", () => {
    const stages: Stage[] = [
      { resource: "fast", what: "fast", perFrame: 1, perByte: 0 },
      { resource: "slow", what: "slow", perFrame: 3, perByte: 0 },
    ];
    const p = new CompiledPath(stages, new Resources());
    const arrivals = Array.from({ length: 10 }, () => p.charge(0, 0));
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBe(3);
  });

  it("a resource shared by two paths serves their frames one after the other", () => {
    const resources = new Resources();
    const bridge = (from: string): Stage[] => [
      { resource: `cpu@${from}`, what: "send", perFrame: 1, perByte: 0 },
      { resource: "bridge@h0", what: "dom0 bridge", perFrame: 5, perByte: 0 },
    ];
    const p1 = new CompiledPath(bridge("rank0"), resources);
    const p2 = new CompiledPath(bridge("rank1"), resources);
    expect(p1.charge(0, 0)).toBe(6);
    expect(p2.charge(0, 0)).toBe(11);
    expect(resources.get("bridge@h0").waitSeconds).toBe(5);
    expect(resources.get("bridge@h0").utilisation(11)).toBeCloseTo(10 / 11, 12);
  });

  it("a batched stage charges its per-frame cost once per batch", () => {
    const stages: Stage[] = [{ resource: "doorbell@vm0", what: "doorbell", perFrame: 1, perByte: 0, every: 4 }];
    const p = new CompiledPath(stages, new Resources());
    const done = Array.from({ length: 8 }, () => p.charge(0, 0));
    expect(done).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it("a coalesced interrupt holds a lone completion for the timer, then runs the handler once", () => {
    const resources = new Resources();
    const stages: Stage[] = [{ resource: "irq@vm1", what: "interrupt", perFrame: 2, perByte: 0, coalesce: { seconds: 16, frames: 32 } }];
    const p = new CompiledPath(stages, resources);
    expect(p.charge(100, 0)).toBe(118);
    // A second completion while the batch is open leaves with the first one.
    expect(p.charge(105, 0)).toBe(118);
    expect(resources.get("irq@vm1").interrupts).toBe(1);
    // After the batch fired, a new one opens.
    expect(p.charge(200, 0)).toBe(218);
    expect(resources.get("irq@vm1").interrupts).toBe(2);
    expect(loneFrameSeconds(stages, 0)).toBe(18);
  });

  it("a full batch closes: the next completion opens a new interrupt", () => {
    const resources = new Resources();
    const stages: Stage[] = [{ resource: "irq@vm1", what: "interrupt", perFrame: 1, perByte: 0, coalesce: { seconds: 10, frames: 2 } }];
    const p = new CompiledPath(stages, resources);
    expect(p.charge(0, 0)).toBe(11);
    expect(p.charge(1, 0)).toBe(11);
    expect(p.charge(2, 0)).toBe(13);
    expect(resources.get("irq@vm1").interrupts).toBe(2);
  });

  it("frames of one path never overtake one another, whatever their sizes and times", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1 << 20 })), { minLength: 1, maxLength: 60 }), (frames) => {
        const stages: Stage[] = [...path, { resource: "irq@vm1", what: "interrupt", perFrame: 1e-6, perByte: 0, coalesce: { seconds: 16e-6, frames: 4 } }];
        const p = new CompiledPath(stages, new Resources());
        let t = 0;
        let last = 0;
        for (const [gap, bytes] of frames) {
          t += gap * 1e-7;
          const arrival = p.charge(t, bytes);
          expect(arrival).toBeGreaterThanOrEqual(last);
          expect(arrival).toBeGreaterThanOrEqual(t + loneFrameSeconds(path, bytes) - 1e-15);
          last = arrival;
        }
      }),
    );
  });

  it("a path is cut where the frame changes place; charged segment by segment it costs the same", () => {
    const bounds = segmentBounds(path, pair);
    expect(bounds).toEqual([0, 3, 5]); // the sender's side (rank 0, vm0, h0), then vm1 and rank 1
    const whole = new CompiledPath(path, new Resources()).charge(0, 4096);
    const cut = new CompiledPath(path, new Resources(), bounds);
    let t = 0;
    for (let seg = 0; seg < cut.segments; seg++) t = cut.segment(seg, t, 4096);
    expect(t).toBeCloseTo(whole, 15);
  });

  it("a bridged path between hosts has three places: the sender's host, the receiving host, the receiving VM", () => {
    const stages: Stage[] = [
      { resource: "cpu@rank0", what: "send", perFrame: 1, perByte: 0 },
      { resource: "bridge@h0", what: "dom0", perFrame: 1, perByte: 0 },
      { resource: "link@h0.tx", what: "link", perFrame: 1, perByte: 0 },
      { resource: "link@h1.rx", what: "link", perFrame: 1, perByte: 0 },
      { resource: "bridge@h1", what: "dom0", perFrame: 1, perByte: 0 },
      { resource: "cpu@rank1", what: "receive", perFrame: 1, perByte: 0 },
    ];
    expect(segmentBounds(stages, pair)).toEqual([0, 3, 5, 6]);
  });

  it("on one VM the shared memory bandwidth stays with the sender's side", () => {
    const same: Pair = { src: { rank: 0, vm: "vm0", host: "h0" }, dst: { rank: 1, vm: "vm0", host: "h0" } };
    const stages: Stage[] = [
      { resource: "cpu@rank0", what: "send", perFrame: 1, perByte: 0 },
      { resource: "membw@vm0", what: "copy", perFrame: 0, perByte: 1 },
      { resource: "cpu@rank1", what: "receive", perFrame: 1, perByte: 0 },
    ];
    expect(segmentBounds(stages, same)).toEqual([0, 2, 3]);
  });
});
