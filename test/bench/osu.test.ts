import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { launch } from "../../src/launcher/launch.ts";
import { checkP2pResult } from "../../bench/lib/results.ts";
import { parseOsuOptions } from "../../bench/p2p/options.ts";

const program = new URL("../../bench/p2p/osu.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "tsmpi-osu-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("osu.ts under the sim engine", () => {
  it("measures every size and test and writes well-formed, stamped JSON", async () => {
    const out = join(dir, "p2p.json");
    // The sim engine runs ranks in this thread, so rank 0's table goes through this console.
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const res = await launch({
      np: 2,
      engine: "sim",
      program,
      args: ["--sizes", "0,8,64K", "--scale", "0.005", "--repeats", "3", "--window", "4", "--out", out],
    });
    const lines = log.mock.calls.flat().join("\n").split("\n");
    log.mockRestore();
    expect(res.failure).toBeUndefined();
    expect(res.ok).toBe(true);
    const json = checkP2pResult(JSON.parse(readFileSync(out, "utf8")), out);
    expect(json.source).toBe("tsmpi");
    expect(json.np).toBe(2);
    expect(json.transport).toBe("memory");
    expect(json.stamp.machine.cpus).toBeGreaterThan(0);
    expect(json.stamp.node).toBe(process.version);
    expect(json.latencyUs.map((r) => r.bytes)).toEqual([0, 8, 65536]);
    // Zero-byte messages carry no bandwidth.
    expect(json.bandwidthMBps.map((r) => r.bytes)).toEqual([8, 65536]);
    expect(json.bibwMBps.map((r) => r.bytes)).toEqual([8, 65536]);
    for (const r of [...json.latencyUs, ...json.bandwidthMBps, ...json.bibwMBps]) {
      expect(r.samples).toHaveLength(3);
      expect(r.min).toBeLessThanOrEqual(r.median);
      expect(r.median).toBeLessThanOrEqual(r.max);
      expect(r.min).toBeGreaterThan(0);
    }
    // Rank 0 prints OSU's own layout: one table per test, raw byte sizes.
    for (const test of ["Latency", "Bandwidth", "Bi-Directional Bandwidth"]) expect(lines).toContain(`# OSU MPI ${test} Test v7.3`);
    const latency = lines.slice(lines.indexOf("# OSU MPI Latency Test v7.3"));
    const rows = latency.slice(latency.findIndex((l) => l.startsWith("# Size")) + 1, latency.indexOf(""));
    expect(rows.map((l) => Number(l.split(/\s+/)[0]))).toEqual([0, 8, 65536]);
    expect(Number(rows[2]!.split(/\s+/)[1])).toBeCloseTo(json.latencyUs[2]!.median, 2);
    // main's value reaches the launcher too.
    expect((res.ranks[0]!.value as { source: string }).source).toBe("tsmpi");
  });

  it("runs the idle-waiters mode with 4 ranks and releases the waiting ranks", async () => {
    const out = join(dir, "idle.json");
    const res = await launch({ np: 4, engine: "sim", program, args: ["--idle-waiters", "--scale", "0.005", "--repeats", "2", "--quiet", "--out", out] });
    expect(res.failure).toBeUndefined();
    expect(res.ranks.every((r) => r.ok)).toBe(true);
    const json = checkP2pResult(JSON.parse(readFileSync(out, "utf8")), out);
    expect(json.mode).toBe("idle-waiters");
    expect(json.np).toBe(4);
    expect(json.latencyUs.map((r) => r.bytes)).toEqual([8]);
    expect(json.bandwidthMBps).toEqual([]);
  });

  it("refuses the idle-waiters mode with fewer than 4 ranks, naming the fix", async () => {
    const res = await launch({ np: 2, engine: "sim", program, args: ["--idle-waiters"], stderr: () => {} });
    expect(res.ok).toBe(false);
    expect(res.failure).toMatch(/needs at least 4 ranks.*-n 4/);
  });
});

describe("osu.ts options", () => {
  it("defaults to the OSU sweep and all three tests", () => {
    const o = parseOsuOptions([]);
    expect(o.sizes[0]).toBe(0);
    expect(o.sizes.at(-1)).toBe(4 << 20);
    expect([o.latency, o.bandwidth, o.bibw]).toEqual([true, true, true]);
    expect(o.window).toBe(64);
  });

  it("selects tests with --only and rejects unknown options", () => {
    const o = parseOsuOptions(["--only", "bw", "--sizes", "1K"]);
    expect([o.latency, o.bandwidth, o.bibw]).toEqual([false, true, false]);
    expect(o.sizes).toEqual([1024]);
    expect(() => parseOsuOptions(["--bogus"])).toThrow(/Unknown option '--bogus'[\s\S]*usage: /);
    expect(() => parseOsuOptions(["--repeats", "0"])).toThrow(/--repeats must be a number above 0, got "0"/);
    expect(parseOsuOptions(["--help"]).help).toBe(true);
  });
});
