import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";

const program = fileURLToPath(new URL("../conformance/programs/late-arrival.ts", import.meta.url));

describe("progress (live, shared memory)", () => {
  it("a message for a blocking call that gave up spinning is still picked up by background progress", { timeout: 20_000 }, async () => {
    for (let i = 0; i < 3; i++) {
      const lines: string[] = [];
      const r = await launch({ np: 2, program, stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) });
      expect(r.ok, lines.join("\n")).toBe(true);
      expect(lines).toContain("late arrival: 42");
      expect(r.seconds).toBeLessThan(5);
    }
  });
});
