// The point-to-point conformance program on the sim engine and on live shared memory.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";

const program = fileURLToPath(new URL("./p2p-program.ts", import.meta.url));

async function run(np: number, engine: "sim" | "live") {
  const lines: string[] = [];
  const r = await launch({ np, program, engine, stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) });
  if (!r.ok) throw new Error(`${engine} np=${np}: ${r.failure}\n${lines.join("\n")}`);
  return r;
}

describe("point-to-point conformance", () => {
  for (const np of [1, 2, 3, 4]) {
    it(`passes in the sim engine with ${np} ranks`, async () => {
      const r = await run(np, "sim");
      expect(r.ranks.every((x) => x.ok)).toBe(true);
    });
  }
  for (const np of [2, 4]) {
    it(`passes live over shared memory with ${np} ranks`, async () => {
      const r = await run(np, "live");
      expect(r.exitCode).toBe(0);
    }, 60_000);
  }
});
