// The faulty wire: seeded, so a run's faults repeat; rates as asked; nothing invented.
import { describe, expect, it } from "vitest";
import { FaultyWire } from "../../../transports/slurpoe/wire.ts";

function run(seed: number, n = 20000) {
  const out: number[] = [];
  const wire = new FaultyWire((f) => out.push(f[0]! | (f[1]! << 8)), { loss: 0.1, dup: 0.05, reorder: 0.05, seed }, 3);
  for (let i = 0; i < n; i++) wire.send(new Uint8Array([i & 255, i >> 8]), 1, "127.0.0.1");
  wire.release();
  return { out, counters: wire.counters };
}

describe("faulty wire", () => {
  it("repeats its faults for a seed and changes them with the seed", () => {
    expect(run(5).out).toEqual(run(5).out);
    expect(run(5).out).not.toEqual(run(6).out);
  });

  it("drops, duplicates and reorders at about the asked rates, and only forwards frames it was given", () => {
    const n = 20000;
    const { out, counters } = run(11, n);
    expect(counters.dropped / n).toBeGreaterThan(0.08);
    expect(counters.dropped / n).toBeLessThan(0.12);
    expect(counters.duplicated / n).toBeGreaterThan(0.03);
    expect(counters.reordered / n).toBeGreaterThan(0.03);
    expect(out.length).toBe(n - counters.dropped + counters.duplicated);
    expect(out.every((v) => v < n)).toBe(true);
    let inversions = 0;
    for (let i = 1; i < out.length; i++) if (out[i]! < out[i - 1]!) inversions++;
    expect(inversions).toBeGreaterThan(0);
  });

  it("passes everything through unchanged with no faults", () => {
    const out: number[] = [];
    const wire = new FaultyWire((f) => out.push(f[0]!), { loss: 0, dup: 0, reorder: 0, seed: 1 }, 0);
    for (let i = 0; i < 100; i++) wire.send(new Uint8Array([i]), 1, "x");
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
