import { describe, expect, it } from "vitest";
import { sharedMemoryBtl } from "../../bench/baseline/openmpi.ts";
import { runSabBaseline } from "../../bench/baseline/sab-pingpong.ts";

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
