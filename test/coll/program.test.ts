/**
 * The API-wide collectives program (programs/collectives-program.ts) through
 * the launcher: every communicator size 1…16 in the sim engine, and a few
 * sizes live (one process, a worker thread per rank, shared memory).
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";

const program = fileURLToPath(new URL("./programs/collectives-program.ts", import.meta.url));

describe("collectives program", () => {
  it("passes in the sim engine at every size from 1 to 16", async () => {
    for (let np = 1; np <= 16; np++) {
      const r = await launch({ np, program, engine: "sim", stdout: () => {}, stderr: () => {} });
      expect(r.failure, `np ${np}`).toBeUndefined();
      expect(r.ok, `np ${np}`).toBe(true);
    }
  }, 180_000);

  for (const np of [2, 3, 5, 8]) {
    it(`passes live with ${np} ranks`, async () => {
      const r = await launch({ np, program, engine: "live", stdout: () => {}, stderr: () => {} });
      expect(r.failure).toBeUndefined();
      expect(r.ok).toBe(true);
      expect(r.ranks.every((x) => x.ok)).toBe(true);
    }, 120_000);
  }
});
