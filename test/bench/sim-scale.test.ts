// The simulator's scale benchmark (bench/sim/scale.ts) on a small instance:
// the alltoall loop is counted frame by frame, and CG on a 2-D grid of 32
// ranks verifies. No timing is asserted.
import { describe, expect, it } from "vitest";
import { measureScale } from "../../bench/sim/scale.ts";

describe("bench/sim/scale.ts", () => {
  it("counts the alltoall loop's frames and simulates CG on 32 ranks to a verified result", async () => {
    const f = await measureScale({ ranks: 16, iters: 3, cgRanks: 32, cls: "S" });
    // 16·15 eager frames per iteration, plus the credit returns (one per 32 consumed messages per pair).
    expect(f.alltoall.frames).toBeGreaterThanOrEqual(16 * 15 * 3);
    expect(f.alltoall.frames).toBeLessThan(16 * 15 * 3 * 1.1);
    expect(f.alltoall.framesPerSecond).toBeGreaterThan(0);
    expect(f.cg?.verified).toBe(true);
    expect(f.cg?.virtualSeconds).toBeGreaterThan(0);
  }, 120_000);
});
