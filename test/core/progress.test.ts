import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";

const programs = (name: string) => fileURLToPath(new URL(`../conformance/programs/${name}`, import.meta.url));
const program = programs("late-arrival.ts");

describe("progress (live, shared memory)", () => {
  it("a message for a blocking call that gave up spinning is still picked up by background progress", { timeout: 20_000 }, async () => {
    for (let i = 0; i < 3; i++) {
      const lines: string[] = [];
      const r = await launch({ np: 2, program, stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) });
      expect(r.ok, lines.join("\n")).toBe(true);
      // A lost wake-up hangs the job: the test's timeout catches it (no wall-clock bound here: timing belongs in benchmarks).
      expect(lines).toContain("late arrival: 42");
    }
  });

  it("waitall holds the event loop for about one spin in all, not one per pending request", { timeout: 20_000 }, async () => {
    const lines: string[] = [];
    const r = await launch({ np: 2, program: programs("waitall-hold.ts"), stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) });
    expect(r.ok, lines.join("\n")).toBe(true);
    const m = /held ([\d.]+) ms; got (.*)/.exec(lines.join("\n"));
    expect(m, lines.join("\n")).not.toBeNull();
    expect(m![2]).toBe("0,1,2,3,4,5,6,7,8,9");
    // A spin with its futex waits is about 20 ms (src/core/progress.ts): one in
    // waitall, one as background progress starts. One per request would be over 200.
    expect(Number(m![1])).toBeLessThan(80);
  });
});
