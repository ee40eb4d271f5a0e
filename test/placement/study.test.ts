/**
 * tsmpi study end to end on small grids: every placement simulated (and run
 * live at a small size), comm-aware the fastest of its simulated candidates,
 * and the HTML report drawn from the JSON: conclusions, charts, spread and the
 * oversubscription warning. (The report's look in a real browser:
 * scripts/check-report-browser.mjs.)
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { conclusions } from "../../bench/placement/study/report.ts";
import { runStudy, type StudyOptions, studyMain } from "../../bench/placement/study/run.ts";
import type { StudyPoint } from "../../bench/placement/study/types.ts";

const example = fileURLToPath(new URL("../../examples/heavy-groups.ts", import.meta.url));
const strategies = ["block", "cyclic", "random", "comm-aware"];

async function study(o: Partial<StudyOptions>): Promise<{ points: StudyPoint[]; html: string }> {
  const out = mkdtempSync(join(tmpdir(), "study-"));
  const { failures, files } = await runStudy({
    programs: [{ program: example, args: ["8", "8", "5", "1"] }],
    np: [64],
    vmsPerHost: 4,
    slots: 8,
    strategies,
    transports: ["bridged", "vf", "slurpoe"],
    mappers: ["builtin"],
    jobs: 2,
    out,
    ...o,
  });
  expect(failures).toEqual([]);
  const json = JSON.parse(readFileSync(files[0]!, "utf8")) as { points: StudyPoint[] };
  return { points: json.points, html: readFileSync(files[1]!, "utf8") };
}

describe("tsmpi study", () => {
  it("simulates every strategy under every transport; comm-aware is never slower than block, cyclic or random", async () => {
    const { points, html } = await study({});
    expect(points).toHaveLength(1);
    const rows = points[0]!.rows;
    expect(rows).toHaveLength(3 * 4);
    for (const t of ["bridged", "vf", "slurpoe"]) {
      const mine = rows.filter((r) => r.transport === t);
      expect(mine.map((r) => r.strategy)).toEqual(["block", "cyclic", "random", "comm-aware (builtin)"]);
      const aware = mine.find((r) => r.strategy.startsWith("comm-aware"))!;
      for (const r of mine) {
        expect(r.virtualSeconds).toBeGreaterThan(0);
        expect(aware.virtualSeconds).toBeLessThanOrEqual(r.virtualSeconds);
      }
      // Heavy groups on VMs of 8: the mapper's own map simulates fastest.
      expect(aware.kept).toBe("comm-aware (builtin)");
      expect(aware.virtualSeconds).toBe(aware.mapperVirtualSeconds);
      expect(aware.virtualSeconds).toBeLessThan(mine.find((r) => r.strategy === "block")!.virtualSeconds);
      expect(points[0]!.communication[t]!.share).toBeGreaterThan(0);
      expect(points[0]!.communication[t]!.share).toBeLessThanOrEqual(1);
    }
    // Under bridged every pair between VMs loads dom0, so the groups go inside VMs. (Under the sriov model a
    // 16 KiB message between two VMs of a host costs less than shm's copy, and the mapper need not.)
    expect(rows.find((r) => r.transport === "bridged" && r.strategy.startsWith("comm-aware"))!.bytesInsideVms).toBeGreaterThanOrEqual(0.95);
    // Shared resources are named with their simulated utilisation: bridged loads a host's bridge.
    expect(Object.keys(rows.find((r) => r.transport === "bridged" && r.strategy === "block")!.utilisation).some((k) => k.startsWith("bridge@"))).toBe(true);

    // The report: conclusions computed from the rows, a chart mark per row, the heat map, the spread stated.
    const stated = conclusions(points);
    expect(html).toContain(`<h2>Conclusions</h2><ul><li>${stated[0]!.replace(/&/g, "&amp;")}</li>`);
    expect(stated[0]).toMatch(/^heavy-groups\.ts 8 8 5 1 on 64 ranks under bridged: comm-aware is simulated at /);
    const bridgedAware = rows.find((r) => r.transport === "bridged" && r.strategy.startsWith("comm-aware"))!;
    expect(stated[0]).toContain(`${(bridgedAware.virtualSeconds * 1e3).toFixed(3)} ms`);
    expect(stated.some((s) => /bridged path costs [\d.]+ % more than vf \(simulated\); comm-aware placement recovers/.test(s))).toBe(true);
    expect(html.match(/<rect class="sim" /g)).toHaveLength(rows.length);
    expect(html).toMatch(/aria-label="heat map"/);
    expect(html).toMatch(/aria-label="VM of every rank"/);
    expect(html).toMatch(/its spread is zero and one run is shown/);
    // The characterisation: rates per transport on the simulated machine, and the communication share.
    expect(html).toMatch(/per rank, over the simulated run \(block, compute included\): bridged: \d+ messages\/s, [\d.]+ MB\/s; vf: /);
    expect(html).toMatch(/share of the run that is communication .*: bridged: [\d.]+ %/);
    expect(html).toMatch(/Load average \(1, 5, 15 min\) on \d+ cores: [\d. ]+ before, [\d. ]+ after/);
    expect(html).not.toMatch(/<script/);
  }, 120_000);

  it("runs small sizes live beside the simulation, with the spread over repeats and the oversubscription warning", async () => {
    const { points, html } = await study({
      programs: [{ program: example, args: ["0", "4", "3", "2"] }],
      np: [8],
      vmsPerHost: 2,
      slots: 2,
      strategies: ["block", "comm-aware"],
      transports: ["vf"],
      liveMax: 8,
      repeats: 2,
    });
    const p = points[0]!;
    expect(p.spec.machine).toEqual({ hosts: 2, vmsPerHost: 2, slots: 2 });
    expect(p.rows.map((r) => r.strategy)).toEqual(["block", "comm-aware (builtin)"]);
    for (const r of p.rows) {
      const s = r.live!.seconds;
      expect(r.live!.measured).toBe("program");
      expect(s.samples).toHaveLength(2);
      expect(s.min).toBeGreaterThan(0);
      expect(s.min).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.max);
      expect(html).toContain(`live ${(s.median * 1e3).toFixed(3)} ms (${(s.min * 1e3).toFixed(3)} ms–${(s.max * 1e3).toFixed(3)} ms)`);
    }
    expect(html.match(/<rect class="live" /g)).toHaveLength(2);
    if (availableParallelism() < 8) {
      expect(p.oversubscribed).toBe(`8 ranks on ${availableParallelism()} cores`);
      expect(html).toContain(`WARNING: live runs: ${p.oversubscribed}: the numbers measure the operating system's scheduler as much as tsmpi`);
    } else expect(html).not.toContain("WARNING");
    expect(
      conclusions(points).some((s) => /under vf, run live: .* was fastest \(median [\d.]+ ms, [\d.]+ ms–[\d.]+ ms over 2 runs\); the simulator ranked/.test(s)),
    ).toBe(true);
  }, 300_000);

  it("answers --help with its usage and a misspelt flag with exit 2 and the usage, not a stack trace", async () => {
    const errors: string[] = [];
    const logs: string[] = [];
    const error = console.error;
    const log = console.log;
    console.error = (m: string) => errors.push(m);
    console.log = (m: string) => logs.push(m);
    try {
      expect(await studyMain(["--help"])).toBe(0);
      expect(logs.join("\n")).toMatch(/^usage: tsmpi study prog\.ts/);
      expect(await studyMain([example, "--np", "8", "--vms-per-hots", "2"])).toBe(2);
      expect(errors.join("\n")).toMatch(/Unknown option '--vms-per-hots'[\s\S]*usage: tsmpi study/);
    } finally {
      console.error = error;
      console.log = log;
    }
  });
});
