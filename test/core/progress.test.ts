import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";

const programs = (name: string) => fileURLToPath(new URL(`../conformance/programs/${name}`, import.meta.url));
const program = programs("late-arrival.ts");

describe("progress (live, shared memory)", () => {
  it("a message for a blocking call that gave up spinning is still picked up by background progress", { timeout: 60_000 }, async () => {
    for (let i = 0; i < 3; i++) {
      const lines: string[] = [];
      const r = await launch({ np: 2, program, stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) });
      expect(r.ok, lines.join("\n")).toBe(true);
      // A lost wake-up hangs the job: the test's timeout catches it (no wall-clock bound here: timing belongs in benchmarks).
      expect(lines).toContain("late arrival: 42");
    }
  });

  it("waitall over receives satisfied later still gets every value, in order", { timeout: 60_000 }, async () => {
    const lines: string[] = [];
    const r = await launch({ np: 2, program: programs("waitall-hold.ts"), stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) });
    expect(r.ok, lines.join("\n")).toBe(true);
    // How long waitall holds the event loop is counted, not timed: test/core/request.test.ts.
    const m = /got (.*)/.exec(lines.join("\n"));
    expect(m, lines.join("\n")).not.toBeNull();
    expect(m![1]).toBe("0,1,2,3,4,5,6,7,8,9");
  });
});
