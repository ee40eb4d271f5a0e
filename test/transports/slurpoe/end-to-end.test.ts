// Whole programs over SLURPoE: ranks in two VMs (shared memory inside a VM,
// slurpoe across), the point-to-point conformance program in polling and in
// interrupt mode, and the collectives program. The -n 8, 2 hosts x 2 VMs runs
// of the "must show" are in docs/slurpoe.md (they take minutes on a
// shared 2-core machine in polling mode).
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../../src/launcher/launch.ts";
import { slurpoePlacement } from "./placement.ts";

const p2p = fileURLToPath(new URL("../../conformance/programs/p2p.ts", import.meta.url));
const collectives = fileURLToPath(new URL("../../conformance/programs/collectives.ts", import.meta.url));

async function run(program: string, np: number, settings: Record<string, string>, args: string[] = []) {
  const lines: string[] = [];
  const r = await launch({
    np,
    program,
    args,
    engine: "live",
    placement: slurpoePlacement(np, 2),
    settings,
    stdout: (l) => lines.push(l),
    stderr: (l) => lines.push(l),
  });
  if (!r.ok) throw new Error(`${program} np=${np} ${JSON.stringify(settings)}: ${r.failure}\n${lines.join("\n")}`);
  return r;
}

/** Sum one counter of the slurpoe transport over every rank that reported it. */
function total(r: Awaited<ReturnType<typeof run>>, counter: string): number {
  let sum = 0;
  for (const perTransport of Object.values(r.stats?.ranks ?? {})) sum += perTransport.slurpoe?.[counter] ?? 0;
  return sum;
}

describe("slurpoe end to end (two VMs)", () => {
  for (const mode of ["poll", "interrupt"] as const) {
    it(`passes the point-to-point conformance program in ${mode} mode`, async () => {
      const r = await run(p2p, 4, { "nic.mode": mode }, ["--quick"]);
      expect(r.exitCode).toBe(0);
      // The frames really went through the NIC: doorbells, descriptors, completions.
      expect(total(r, "doorbellsRung")).toBeGreaterThan(0);
      expect(total(r, "nic.descriptorsProcessed")).toBeGreaterThan(0);
      expect(total(r, "nic.completions")).toBeGreaterThan(0);
      if (mode === "interrupt") expect(total(r, "nic.interruptsRaised")).toBeGreaterThan(0);
      else expect(total(r, "nic.interruptsRaised")).toBe(0);
    }, 120_000);
  }

  it("passes the collectives program in interrupt mode, with doorbell batching and coalescing", async () => {
    const r = await run(collectives, 4, { "nic.mode": "interrupt", "nic.doorbellBatch": "4", "nic.coalesceUs": "8", "nic.coalesceFrames": "4" });
    expect(r.exitCode).toBe(0);
    // Frames that reach a queue pair before its side connected it are dropped (and counted) and retransmitted:
    // the only rejections a job of its own may see.
    expect(total(r, "nic.rejected") - total(r, "nic.rejected.unconnected")).toBe(0);
  }, 120_000);

  it("passes the conformance program over a lossy wire with the fast-nic profile", async () => {
    const r = await run(p2p, 4, { "nic.profile": "fast-nic", "wire.loss": "0.05", "wire.dup": "0.02", "wire.reorder": "0.02", "wire.seed": "3" }, ["--quick"]);
    expect(r.exitCode).toBe(0);
    expect(total(r, "nic.retransmissions")).toBeGreaterThan(0);
  }, 120_000);
});
