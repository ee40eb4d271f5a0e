import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prepareOpenMpi, runOpenMpi, sharedMemoryBtl } from "../../bench/baseline/openmpi.ts";
import { runSabBaseline } from "../../bench/baseline/sab-pingpong.ts";

const dir = mkdtempSync(join(tmpdir(), "tsmpi-ompi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("raw SharedArrayBuffer baseline", () => {
  it("ping-pongs and streams between two threads and reports every size", async () => {
    const r = await runSabBaseline({ sizes: [8, 4096, 1 << 20], repeats: 2, window: 8, scale: 0.01 });
    expect(r.source).toBe("raw-sab");
    for (const list of [r.latencyUs, r.bandwidthMBps, r.bibwMBps]) {
      expect(list.map((x) => x.bytes)).toEqual([8, 4096, 1 << 20]);
      for (const x of list) {
        expect(x.samples).toHaveLength(2);
        expect(x.min).toBeGreaterThan(0);
        expect(Number.isFinite(x.max)).toBe(true);
      }
    }
    // A bigger message cannot take less time to cross than a small one.
    expect(r.latencyUs[2]!.min).toBeGreaterThan(r.latencyUs[0]!.min);
  }, 30_000);
});

describe("Open MPI detection", () => {
  it("picks vader on Open MPI 4 and sm on Open MPI 5", () => {
    expect(sharedMemoryBtl("  MCA btl: self (MCA v2.1.0)\n  MCA btl: vader (MCA v2.1.0)\n  MCA btl: tcp")).toBe("vader");
    expect(sharedMemoryBtl("  MCA btl: self (MCA v2.1.0)\n  MCA btl: sm (MCA v2.1.0)")).toBe("sm");
    expect(sharedMemoryBtl("  MCA btl: tcp (MCA v2.1.0)")).toBeUndefined();
  });
});

describe("raw baseline with payloads off alignment", () => {
  it("records the offset and still moves every size", async () => {
    const r = await runSabBaseline({ sizes: [8, 65536], repeats: 1, window: 4, scale: 0.01, payloadOffset: 4, tests: ["latency"] });
    expect(r.transport).toContain("4 bytes off alignment");
    expect(r.latencyUs.map((x) => x.bytes)).toEqual([8, 65536]);
    expect(r.bandwidthMBps).toEqual([]);
  });
});

describe("Open MPI baseline", () => {
  it("says what is missing when mpicc cannot be found", () => {
    const path = process.env.PATH;
    process.env.PATH = "";
    try {
      expect(prepareOpenMpi(dir)).toEqual({ missing: "mpicc not found" });
    } finally {
      process.env.PATH = path;
    }
  });

  it("compiles and measures with the shared-memory BTL when Open MPI is installed, or reports it missing", async () => {
    const prepared = prepareOpenMpi(dir);
    if ("missing" in prepared) {
      // Then mpicc really is unusable here (CI machines without Open MPI).
      expect(spawnSync("mpicc", ["--showme:version"]).status === 0 && spawnSync("ompi_info", []).status === 0).toBe(false);
      return;
    }
    expect(prepared.mpirunArgs.join(" ")).toMatch(/--mca btl self,(vader|sm)/);
    const r = await runOpenMpi(
      prepared,
      [
        { bytes: 8, latencyIterations: 50, bandwidthWindows: 2 },
        { bytes: 0, latencyIterations: 50, bandwidthWindows: 2 },
      ],
      2,
      4,
    );
    expect(r.latencyUs.map((x) => x.bytes)).toEqual([8, 0]);
    expect(r.bandwidthMBps.map((x) => x.bytes)).toEqual([8]);
    expect(r.bibwMBps[0]!.samples).toHaveLength(2);
    expect(r.latencyUs[0]!.min).toBeGreaterThan(0);
  }, 60_000);
});
