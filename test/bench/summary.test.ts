import { describe, expect, it } from "vitest";
import type { P2pResult, SizeResult } from "../../bench/lib/results.ts";
import { summarize } from "../../bench/lib/stats.ts";
import { checkTargets, combineResults, comparisonTable, formatTargets } from "../../bench/p2p/summary.ts";

const row = (bytes: number, samples: number[]): SizeResult => ({ bytes, iterations: 10, ...summarize(samples) });

function result(source: string, lat: [number, number[]][], bw: [number, number[]][]): P2pResult {
  return {
    source,
    stamp: { machine: { os: "x", arch: "x", cpus: 2, cpuModel: "x", memoryBytes: 1, load1: 0 }, node: "v20", tsmpi: "0", date: "" },
    np: 2,
    transport: "shm",
    mode: "pair",
    repeats: 3,
    window: 64,
    latencyUs: lat.map(([b, s]) => row(b, s)),
    bandwidthMBps: bw.map(([b, s]) => row(b, s)),
    bibwMBps: [],
  };
}

const mib = 1 << 20;

describe("combineResults", () => {
  it("takes the median of the runs' medians per size", () => {
    const runs = [result("tsmpi", [[8, [1, 1, 1]]], []), result("tsmpi", [[8, [3, 3, 3]]], []), result("tsmpi", [[8, [2, 2, 9]]], [])];
    const c = combineResults(runs);
    expect(c.latencyUs[0]!.median).toBe(2);
    expect(c.latencyUs[0]!.min).toBe(1);
    expect(c.latencyUs[0]!.max).toBe(9);
  });
});

describe("checkTargets", () => {
  it("passes when every figure is inside the issue's limits", () => {
    const tsmpi = result(
      "tsmpi",
      [
        [8, [0.5]],
        [mib, [120]],
      ],
      [
        [8, [100]],
        [mib, [7000]],
      ],
    );
    const ompi = result(
      "openmpi",
      [
        [8, [0.25]],
        [mib, [100]],
      ],
      [
        [8, [200]],
        [mib, [10000]],
      ],
    );
    const idle = result("tsmpi", [[8, [15]]], []);
    const sab = result("raw-sab", [[8, [0.34]]], []);
    expect(checkTargets(tsmpi, ompi, idle, sab).map((c) => c.status)).toEqual(["PASS", "PASS", "PASS", "PASS", "PASS", "PASS", "PASS"]);
  });

  it("fails each target that is missed, by its own rule", () => {
    const tsmpi = result(
      "tsmpi",
      [
        [8, [1.2]],
        [mib, [151]],
      ],
      [
        [8, [39]],
        [mib, [5999]],
      ],
    );
    const ompi = result(
      "openmpi",
      [
        [8, [0.3]],
        [mib, [100]],
      ],
      [
        [8, [80]],
        [mib, [10000]],
      ],
    );
    const idle = result("tsmpi", [[8, [21]]], []);
    const sab = result("raw-sab", [[8, [0.79]]], []);
    const checks = checkTargets(tsmpi, ompi, idle, sab);
    expect(checks.map((c) => c.status)).toEqual(["FAIL", "FAIL", "FAIL", "FAIL", "FAIL", "FAIL", "FAIL"]);
    expect(checks[1]!.measured).toContain("4.00x");
    expect(checks[5]!.measured).toBe("1.52x (1.20 vs 0.79 us)");
    // 39 MB/s of 8-byte messages is 4.875 M messages per second.
    expect(checks[6]!.measured).toBe("0.49x (4.88 M vs 10.00 M msg/s)");
  });

  it("skips the ratios when Open MPI did not run, and says why", () => {
    const tsmpi = result(
      "tsmpi",
      [
        [8, [0.5]],
        [mib, [120]],
      ],
      [[mib, [7000]]],
    );
    const checks = checkTargets(tsmpi, undefined, undefined);
    expect(checks.map((c) => c.status)).toEqual(["PASS", "SKIP", "SKIP", "SKIP", "SKIP", "SKIP", "SKIP"]);
    expect(checks[1]!.measured).toBe("Open MPI not available");
    expect(checks[5]!.measured).toBe("raw SAB baseline not run");
    expect(checks[6]!.measured).toBe("Open MPI not available");
    expect(formatTargets(checks)).toMatch(/SKIP/);
  });
});

describe("comparisonTable", () => {
  it("puts the sources side by side with the tsmpi/Open MPI ratio", () => {
    const tsmpi = result("tsmpi", [[8, [0.6, 0.5, 0.9]]], []);
    const sab = result("raw-sab", [[8, [0.1]]], []);
    const ompi = result("openmpi", [[8, [0.3]]], []);
    const lines = comparisonTable("latencyUs", tsmpi, sab, ompi).split("\n");
    expect(lines[0]).toMatch(/latency.*median \[min–max\]/);
    expect(lines[3]!.split(/\s+/)).toEqual(["8", "0.60", "[0.50–0.90]", "0.10", "0.30", "2.00×"]);
  });

  it("leaves Open MPI's columns empty when it did not run", () => {
    const tsmpi = result("tsmpi", [[8, [0.6]]], []);
    const lines = comparisonTable("latencyUs", tsmpi, undefined, undefined).split("\n");
    expect(lines[3]!.split(/\s+/)).toEqual(["8", "0.60", "-", "-", "-"]);
  });
});

describe("comparisonTable with the misaligned baseline", () => {
  it("adds a column for the raw baseline with payloads off alignment", () => {
    const tsmpi = result("tsmpi", [[8, [0.6]]], []);
    const sab = result("raw-sab", [[8, [0.1]]], []);
    const off = result("raw-sab", [[8, [0.4]]], []);
    const lines = comparisonTable("latencyUs", tsmpi, sab, undefined, off).split("\n");
    expect(lines[1]).toContain("(payload +4)");
    expect(lines[3]!.split(/\s+/)).toEqual(["8", "0.60", "0.10", "0.40", "-", "-"]);
  });
});
