// Payload edges (issue 17) on the sim engine, live shared memory and vf.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch, type LaunchOptions } from "../../src/launcher/launch.ts";
import { generateMap, parseMapBy } from "../../src/placement/index.ts";

const program = fileURLToPath(new URL("./programs/payload-edges.ts", import.meta.url));

async function run(np: number, options: Partial<LaunchOptions>): Promise<void> {
  const lines: string[] = [];
  const r = await launch({ np, program, stdout: (l) => lines.push(l), stderr: (l) => lines.push(l), ...options });
  expect(r.failure, lines.join("\n")).toBeUndefined();
  expect(lines).toContain("payload edges: ok");
}

describe("payload edges: user ops over Map, Set, Date, class instances; unsendable payloads", () => {
  for (const np of [1, 3]) it(`sim, ${np} ranks`, () => run(np, { engine: "sim" }));
  it("live shared memory, 3 ranks", { timeout: 60_000 }, () => run(3, { engine: "live" }));
  it("vf, 2 hosts x 1 VM, 2 ranks", { timeout: 60_000 }, () =>
    run(2, { placement: generateMap({ np: 2, hosts: 2, vmsPerHost: 1, mapBy: parseMapBy("block"), transport: "vf" }) }),
  );
});
