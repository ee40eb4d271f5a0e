import { describe, expect, it } from "vitest";
import { selfTimes } from "../../bench/p2p/profile.ts";

describe("selfTimes", () => {
  it("adds up each function's sampled time and sorts largest first", () => {
    const frame = (functionName: string) => ({ functionName, url: "file:///x/src/core/a.ts", lineNumber: 9 });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame("copy") },
        { id: 2, callFrame: frame("") },
        { id: 3, callFrame: frame("copy") },
      ],
      samples: [1, 2, 3, 1],
      timeDeltas: [1000, 2000, 3000, 2000],
    };
    const t = selfTimes(profile);
    expect(t[0]).toEqual({ name: "copy core/a.ts:10", ms: 6, share: 0.75 });
    expect(t[1]).toEqual({ name: "(anonymous) core/a.ts:10", ms: 2, share: 0.25 });
  });
});
