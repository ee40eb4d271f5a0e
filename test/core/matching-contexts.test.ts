import { describe, expect, it } from "vitest";
import { Contexts } from "../../src/core/matching.ts";
import type { ReceiveRequest } from "../../src/core/requests.ts";

describe("matching contexts", () => {
  it("keep frames for a context not created yet, and hand them over in arrival order when it is", () => {
    const c = new Contexts<ReceiveRequest>();
    c.stash(7, 1, Uint8Array.of(1));
    c.stash(7, 2, Uint8Array.of(2));
    const { ctx: seven, waiting } = c.open(0, 7, 3);
    expect(waiting.map((w) => [w.worldSource, w.frame[0]])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(c.get(7)).toBe(seven);
    expect(c.open(0, 8, 3).waiting).toEqual([]);
    expect(() => c.open(0, 7, 3)).toThrow(/context 7 opened twice/);
  });
});
