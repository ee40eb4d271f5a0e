// Class S of every NAS kernel verifies against NPB 3.4's official values, in
// the simulator, at several process counts; the report's RESULT line and the
// diagnostic values printed by the reference binary (fixtures/) are checked too.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Comm } from "../../src/api/comm.ts";
import { runSim } from "../../src/engine/sim/run-sim.ts";
import { runCg } from "../../bench/nas/cg.ts";
import type { NasResult } from "../../bench/nas/common/report.ts";
import { runEp } from "../../bench/nas/ep.ts";
import { runFt } from "../../bench/nas/ft.ts";
import { runIs } from "../../bench/nas/is.ts";
import { runMg } from "../../bench/nas/mg.ts";
import type { NasClass } from "../../bench/nas/verification.ts";

type Runner = (world: Comm, cls: NasClass, out?: (line: string) => void) => Promise<NasResult | undefined>;

const observed = JSON.parse(readFileSync(new URL("./fixtures/verification-S.json", import.meta.url), "utf8")) as {
  EP: { reference_run_observed: { gaussian_pairs: number; counts: number[] }; verify: { sx: number; sy: number } };
  CG: { reference_run_observed: { zeta_per_iteration: number[] }; verify: { zeta: number } };
  MG: { reference_run_observed: { rnm2_printed: number }; verify: { rnm2: number } };
  FT: { reference_run_observed: { checksums_printed: [number, number][] } };
};

async function run(runner: Runner, np: number): Promise<{ lines: string[]; result: NasResult; printed: NasResult }> {
  const lines: string[] = [];
  const ranks = await runSim({ np, main: (world) => runner(world, "S", (line) => lines.push(line)) });
  for (const r of ranks) expect(r.ok, r.error).toBe(true);
  const result = ranks[0]!.value as NasResult;
  const last = lines[lines.length - 1]!;
  expect(last.startsWith("RESULT ")).toBe(true);
  const printed = JSON.parse(last.slice(7)) as NasResult;
  expect(lines.some((l) => l.includes("Verification    =               SUCCESSFUL"))).toBe(true);
  return { lines, result, printed };
}

function common(res: { result: NasResult; printed: NasResult }, kernel: string, np: number): void {
  expect(res.result.verified).toBe(true);
  expect(res.printed).toEqual(res.result);
  expect(res.printed.kernel).toBe(kernel);
  expect(res.printed.class).toBe("S");
  expect(res.printed.np).toBe(np);
  expect(res.printed.time).toBeGreaterThan(0);
  expect(res.printed.mops).toBeGreaterThan(0);
}

describe("NAS class S verifies (sim engine)", () => {
  it.each([1, 2])("EP at np=%i, with the reference run's pair count and annulus counts", async (np) => {
    const res = await run(runEp, np);
    common(res, "EP", np);
    const { sx, sy } = res.printed.values as { sx: number; sy: number };
    expect(Math.abs(sx - observed.EP.verify.sx) / Math.abs(observed.EP.verify.sx)).toBeLessThan(1e-12);
    expect(Math.abs(sy - observed.EP.verify.sy) / Math.abs(observed.EP.verify.sy)).toBeLessThan(1e-12);
    expect(res.lines.some((l) => l.includes(`No. Gaussian pairs = ${observed.EP.reference_run_observed.gaussian_pairs}`))).toBe(true);
    expect(res.lines.some((l) => l.includes(`Counts: ${observed.EP.reference_run_observed.counts.join(" ")}`))).toBe(true);
  });

  it.each([1, 2, 4])("IS at np=%i passes all partial checks and the full sort check", async (np) => {
    const res = await run(runIs, np);
    common(res, "IS", np);
    expect(res.printed.values).toEqual({ is_partial_passed: 50, is_full_verify: true });
  });

  it.each([1, 2, 4, 8, 16])("CG at np=%i (2-D grids 1×1 to 4×4), with every outer iteration's zeta as the reference printed it", async (np) => {
    const res = await run(runCg, np);
    common(res, "CG", np);
    const zetas = res.lines.filter((l) => l.includes("iteration") && l.includes("zeta =")).map((l) => Number(l.split("zeta =")[1]));
    const expected = observed.CG.reference_run_observed.zeta_per_iteration;
    expect(zetas).toHaveLength(expected.length);
    // The reference prints 13 decimals.
    for (let i = 0; i < expected.length; i++) expect(Math.abs(zetas[i]! - expected[i]!)).toBeLessThan(1e-12);
    expect((res.printed.values as { zeta: number }).zeta).toBeCloseTo(observed.CG.verify.zeta, 12);
  });

  it.each([1, 2, 4])("MG at np=%i", async (np) => {
    const res = await run(runMg, np);
    common(res, "MG", np);
    const { rnm2 } = res.printed.values as { rnm2: number };
    expect(Math.abs(rnm2 - observed.MG.verify.rnm2) / observed.MG.verify.rnm2).toBeLessThan(1e-8);
    expect(Math.abs(rnm2 - observed.MG.reference_run_observed.rnm2_printed) / rnm2).toBeLessThan(1e-12);
  });

  it("MG at np=3 uses 2 ranks and leaves one idle", async () => {
    const lines: string[] = [];
    const ranks = await runSim({ np: 3, main: (world) => runMg(world, "S", (l) => lines.push(l)) });
    expect(ranks.every((r) => r.ok)).toBe(true);
    expect(ranks[2]!.value).toBeUndefined();
    expect((ranks[0]!.value as NasResult).verified).toBe(true);
    expect(lines.some((l) => /Active processes=\s+2$/.test(l))).toBe(true);
  });

  it.each([1, 2, 4])("FT at np=%i, every step's checksum", async (np) => {
    const res = await run(runFt, np);
    common(res, "FT", np);
    const sums = (res.printed.values as { checksums: [number, number][] }).checksums;
    const printed = observed.FT.reference_run_observed.checksums_printed;
    expect(sums).toHaveLength(6);
    for (let i = 0; i < 6; i++) {
      // The reference binary prints 10 decimals.
      expect(Math.abs(sums[i]![0] - printed[i]![0])).toBeLessThan(2e-10);
      expect(Math.abs(sums[i]![1] - printed[i]![1])).toBeLessThan(2e-10);
    }
  });
});

describe("NAS process-count rules", () => {
  it.each([
    ["CG", runCg],
    ["IS", runIs],
    ["FT", runFt],
  ] as const)("%s refuses a process count that is not a power of two", async (name, runner) => {
    const ranks = await runSim({ np: 3, main: (world) => runner(world, "S", () => undefined) });
    expect(ranks.some((r) => !r.ok && (r.error ?? "").includes("power-of-two"))).toBe(true);
    expect(name.length).toBeGreaterThan(0);
  });
});
