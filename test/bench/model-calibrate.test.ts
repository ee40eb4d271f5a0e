// `tsmpi model calibrate` and `compare` (bench/model): the fit recovers known
// numbers; calibrate, run with tiny counts, writes a model that passes the
// preset schema and runs a simulation with --model FILE; compare prints every
// row with both values and a ratio and marks a wrong model's rows out of band.
// No timing is asserted: live numbers on a shared machine are whatever they are.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { calibrate, writeCalibration } from "../../bench/model/calibrate.ts";
import { type CompareRow, compare, compareExitCode, formatComparison } from "../../bench/model/compare.ts";
import { FIXED, KNOBS, solveMinimax, solveRelative, worstError } from "../../bench/model/fit.ts";
import { P2P_PROGRAM, pairMap, run } from "../../bench/model/runs.ts";
import type { P2pSamples } from "../../bench/model/p2p-program.ts";
import { loadModel, parsePreset } from "../../src/model/load.ts";

const dir = mkdtempSync(join(tmpdir(), "tsmpi-calibrate-"));

describe("the fit (bench/model/fit.ts)", () => {
  it("recovers the per-frame and per-byte numbers of an exactly linear prediction", () => {
    const positive = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
    fc.assert(
      fc.property(positive, positive, fc.array(fc.tuple(positive, positive, positive), { minLength: 3, maxLength: 6 }), (P, B, rows) => {
        const c = rows.map((r) => r[0]);
        const a = rows.map((r) => r[1]);
        // Byte coefficients that grow with the row, so the two columns are independent.
        const b = rows.map((r, i) => r[2] * (i + 1) ** 2);
        const m = rows.map((_, i) => c[i]! + a[i]! * P + b[i]! * B);
        const k = solveRelative(m, c, a, b);
        for (let i = 0; i < m.length; i++) expect((c[i]! + a[i]! * k.perFrame + b[i]! * k.perByte) / m[i]!).toBeCloseTo(1, 6);
      }),
    );
  });

  it("spreads the error: its worst relative error is never above least squares'", () => {
    const positive = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(positive, positive, positive, positive), { minLength: 3, maxLength: 6 }), (rows) => {
        const [m, c, a, b] = [0, 1, 2, 3].map((j) => rows.map((r, i) => r[j]! * (j === 3 ? (i + 1) ** 2 : 1)));
        const ones = m!.map(() => 1);
        const minimax = solveMinimax(m!, c!, a!, b!, ones);
        const squares = solveRelative(m!, c!, a!, b!);
        expect(minimax.perFrame).toBeGreaterThanOrEqual(0);
        expect(minimax.perByte).toBeGreaterThanOrEqual(0);
        expect(worstError(minimax, m!, c!, a!, b!, ones)).toBeLessThanOrEqual(worstError(squares, m!, c!, a!, b!, ones) + 1e-9);
      }),
    );
  });

  it("never returns a negative number, even when the measurements ask for one", () => {
    // Measured below the fixed part: the best non-negative fit is zero.
    const k = solveRelative([1, 1, 1], [2, 2, 2], [1, 2, 3], [1, 4, 9]);
    expect(k.perFrame).toBeGreaterThanOrEqual(0);
    expect(k.perByte).toBeGreaterThanOrEqual(0);
  });
});

describe("tsmpi model calibrate", () => {
  it("writes a model that passes the preset schema, cites this machine, and runs the simulator with --model FILE", async () => {
    const c = await calibrate({ transports: ["shm", "vf"], name: "tiny", iterations: 4, repeats: 1, rounds: 1, windows: 1, passes: 2, computeRanks: 2 });
    const file = join(dir, "tiny.json");
    writeCalibration(c, file);
    const json = JSON.parse(readFileSync(file, "utf8"));
    const preset = parsePreset(json, file);
    for (const [name, m] of Object.entries(preset.mechanisms)) {
      expect(m!.source, name).toMatch(/tsmpi model calibrate on this machine|by tsmpi model calibrate/);
      expect(Number.isFinite(m!.value), name).toBe(true);
    }
    // Both transports' fitted numbers are in it, and the cores the ranks had.
    for (const k of ["cpu.send", "cpu.receive", "memory.copy", "irq.handler", "pcie.byte", "machine.cores"]) expect(preset.mechanisms).toHaveProperty(k);
    expect(c.fits.map((f) => f.transport)).toEqual(["shm", "vf"]);
    for (const f of c.fits) expect(f.predicted.every((p) => p > 0)).toBe(true);
    expect(loadModel(file).name).toBe("tiny");
    const plan = { sizes: [8, 65536], iterations: 4, repeats: 1, stream: { bytes: 1, window: 1, windows: 0 } };
    const sim = await run<P2pSamples>(
      { np: 2, program: P2P_PROGRAM, args: [JSON.stringify(plan)], placement: pairMap("vf"), engine: "sim", settings: { "sim.model": file, "sim.compute": "none" } },
      "simulated vf",
    );
    expect(sim.halfRoundTrip[8]![0]).toBeGreaterThan(0);
    expect(sim.halfRoundTrip[65536]![0]).toBeGreaterThan(sim.halfRoundTrip[8]![0]!);
  }, 180_000);
});

/** A model of 20 ms per frame at every CPU: far slower than anything live here. */
function wrongModel(): string {
  const values: Record<string, number> = { "machine.cores": 2 };
  for (const f of Object.values(FIXED)) Object.assign(values, f.values);
  Object.assign(values, KNOBS.shm.set({ perFrame: 20e-3, perByte: 1e-8 }), KNOBS.vf.set({ perFrame: 20e-3, perByte: 1e-8 }));
  const mechanisms = Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value, source: "deliberately wrong, for a test" }]));
  const file = join(dir, "wrong.json");
  writeFileSync(file, JSON.stringify({ name: "wrong", description: "20 ms per frame", mechanisms }));
  return file;
}

describe("tsmpi model compare", () => {
  it("prints every row with the live and simulated values and their ratio, and marks a wrong model out of band", async () => {
    const model = wrongModel();
    const rows = await compare({
      model,
      transports: ["shm", "vf"],
      iterations: 4,
      repeats: 1,
      rounds: 1,
      nasClass: "S",
      nasRanks: 4,
      allreduceRanks: 8,
      allreduceCount: 16,
    });
    const names = rows.map((r) => r.row);
    expect(names.filter((n) => n.includes("half round trip"))).toHaveLength(6);
    expect(names.some((n) => n.startsWith("allreduce 8 ranks"))).toBe(true);
    for (const k of ["CG", "MG", "FT", "IS"]) expect(names).toContain(`NAS ${k} class S, 4 ranks`);
    for (const r of rows) {
      expect(r.error, r.row).toBeUndefined();
      expect(r.measured).toBeGreaterThan(0);
      expect(r.predicted).toBeGreaterThan(0);
      expect(r.ratio).toBeCloseTo(r.predicted / r.measured, 12);
      expect(r.inBand).toBe(Math.abs(r.ratio - 1) <= r.band);
    }
    // 20 ms per frame: every point-to-point row is far off.
    for (const r of rows.filter((x) => x.group === "p2p")) expect(r.inBand, r.row).toBe(false);
    const text = formatComparison(rows, model);
    for (const r of rows) {
      const line = text.split("\n").find((l) => l.startsWith(r.row))!;
      expect(line).toMatch(r.inBand ? /in band$/ : /OUT OF BAND$/);
      expect(line).toContain(r.ratio.toFixed(3));
    }
    expect(compareExitCode(rows, false)).toBe(0);
    expect(compareExitCode(rows, true)).toBe(1);
  }, 300_000);

  it("marks only the rows outside their band", () => {
    const rows: CompareRow[] = [
      { group: "p2p", row: "a", measured: 1e-5, predicted: 1.2e-5, ratio: 1.2, band: 0.25, inBand: true },
      { group: "nas", row: "b", measured: 1, predicted: 1.4, ratio: 1.4, band: 0.3, inBand: false },
    ];
    const lines = formatComparison(rows, "m").split("\n");
    expect(lines.find((l) => l.startsWith("a "))).toMatch(/12\.00 us .* 1\.200 .*±25% +in band$/);
    expect(lines.find((l) => l.startsWith("b "))).toMatch(/OUT OF BAND$/);
    expect(lines.at(-1)).toBe("1 of 2 rows out of band");
    expect(compareExitCode(rows.slice(0, 1), true)).toBe(0);
  });
});
