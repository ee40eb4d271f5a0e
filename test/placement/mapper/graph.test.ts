import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { graphFromProfile } from "../../../src/placement/mapper/graph.ts";
import { problem } from "./arbitraries.ts";

describe("the profile as a sparse graph", () => {
  it("holds one symmetric edge per talking pair, carrying both directions' counts (property)", () => {
    fc.assert(
      fc.property(problem, ({ profile: p }) => {
        const g = graphFromProfile(p);
        const seen = new Set<string>();
        for (let a = 0; a < g.n; a++)
          for (let e = g.xadj[a]!; e < g.xadj[a + 1]!; e++) {
            const b = g.adj[e]!;
            expect(b).not.toBe(a);
            expect(seen.has(`${a},${b}`)).toBe(false);
            seen.add(`${a},${b}`);
            expect(g.messages[e]).toBe(p.messages[a]![b]! + p.messages[b]![a]!);
            expect(g.bytes[e]).toBe(p.bytes[a]![b]! + p.bytes[b]![a]!);
          }
        for (let a = 0; a < p.np; a++)
          for (let b = 0; b < p.np; b++) {
            const talks = a !== b && p.messages[a]![b]! + p.messages[b]![a]! > 0;
            expect(seen.has(`${a},${b}`)).toBe(talks);
          }
      }),
    );
  });
});
