import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Scheduler } from "../../../src/engine/sim/scheduler.ts";

/** Indices of `times` in a stable sort by time: the order events must pop in. */
const stableOrder = (times: number[]): number[] =>
  times
    .map((t, i) => ({ t, i }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.i);

describe("the simulator's event queue", () => {
  it("pops events by time, ties in insertion order (a stable sort is the reference)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const s = new Scheduler();
        const popped: number[] = [];
        times.forEach((t, i) => {
          s.at(t, (arg) => popped.push(arg as number), i);
        });
        s.run();
        expect(popped).toEqual(stableOrder(times));
      }),
    );
  });

  it("events scheduled while running interleave in time order and advance `now`", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 5 })), { maxLength: 100 }), (plan) => {
        const s = new Scheduler();
        const seen: number[] = [];
        for (const [t, children] of plan) {
          s.at(t, (_arg, time) => {
            seen.push(time);
            for (let c = 0; c < children; c++) s.at(time + c, () => seen.push(s.now));
          });
        }
        s.run();
        for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
        expect(s.pending).toBe(0);
        expect(s.handled).toBe(seen.length);
      }),
    );
  });

  it("never goes back in time: an event for the past runs now", () => {
    const s = new Scheduler();
    const at: number[] = [];
    s.at(10, () => s.at(3, (_a, t) => at.push(t)));
    s.run();
    expect(at).toEqual([10]);
  });

  it("stops when asked and reports the next event's time", () => {
    const s = new Scheduler();
    for (let i = 0; i < 5; i++) s.at(i, () => {});
    s.run(() => s.now >= 2);
    expect(s.now).toBe(2);
    expect(s.peekTime()).toBe(3);
    expect(s.pending).toBe(2);
  });

  it("keeps insertion order for ties when the 32-bit order numbers run out and are renumbered", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (times, room) => {
        const s = new Scheduler();
        // Start close to the wrap (a run of four billion events, without running them).
        (s as unknown as { nextSeq: number }).nextSeq = 0xffffffff - room;
        const popped: number[] = [];
        times.forEach((t, i) => {
          s.at(t, (arg) => popped.push(arg as number), i);
        });
        s.run();
        expect(popped).toEqual(stableOrder(times));
      }),
    );
  });
});
