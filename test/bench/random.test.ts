import { describe, expect, it } from "vitest";
import { randomBytes, seededRandom } from "../../bench/lib/random.ts";
import { seededRandom as placementRandom } from "../../src/placement/strategies.ts";

describe("the benchmarks' seeded generator", () => {
  it("is the placement strategies' generator: one seed, one sequence", () => {
    const a = seededRandom(7);
    const b = placementRandom(7);
    for (let i = 0; i < 5; i++) expect(a()).toBe(b());
  });

  it("makes the same bytes for the same seed and different ones for another", () => {
    expect(randomBytes(64, 3)).toEqual(randomBytes(64, 3));
    expect(randomBytes(64, 3)).not.toEqual(randomBytes(64, 4));
    expect(new Set(randomBytes(4096, 1)).size).toBeGreaterThan(200);
  });
});
