// --bind-to core pins each rank thread to one core, shown by --report-bindings
// (the native helper, built by npm install, must be there: this fails without it).
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";
import { bindingPicture } from "../../src/transport/affinity.ts";

const hello = fileURLToPath(new URL("../../examples/hello.ts", import.meta.url));
const cores = availableParallelism();

async function run(settings: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  const r = await launch({ np: 2, program: hello, settings, stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) });
  expect(r.failure, lines.join("\n")).toBeUndefined();
  return lines.filter((l) => l.startsWith("tsmpi: rank"));
}

describe("thread binding", () => {
  it("draws a binding as Open MPI does", () => {
    expect(bindingPicture([1], 4)).toBe("[./B/./.]");
    expect(bindingPicture([0, 1], 2)).toBe("[B/B]");
  });

  it("pins rank r to core r mod cores with --bind-to core, and says so", async () => {
    const lines = await run({ "job.bindTo": "core", "job.reportBindings": "true" });
    expect(lines.sort()).toEqual(
      [0, 1].map((r) => `tsmpi: rank ${r} (vm0 on host0) bound to core ${r % cores}: ${bindingPicture([r % cores], cores)}`).sort(),
    );
  });

  it("leaves threads to the OS with --bind-to none, and reports every core as allowed", async () => {
    const lines = await run({ "job.reportBindings": "true" });
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/not bound \(the OS chooses among all cores\): \[B(\/B)*\]$/);
  });

  it("refuses an unknown binding before anything starts", async () => {
    await expect(launch({ np: 1, program: hello, settings: { "job.bindTo": "socket" } })).rejects.toThrow(/job.bindTo.*one of none, core/);
  });
});
