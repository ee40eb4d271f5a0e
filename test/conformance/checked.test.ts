/**
 * Checked collectives (issue 16): with coll.check=full (`--check-collectives`)
 * collectives called with different roots, ops, counts, kinds or forced
 * algorithms reject on every rank with ERR_COLL_MISMATCH, in the simulator
 * and live over shared memory and every inter-VM transport, and the
 * communicator works afterwards; correct programs (the collectives
 * conformance program) still pass with the check on. Without it, the cheap
 * check (the call's kind, root and op in its tags, and in shared memory
 * beside each member's part) ends the job with ERR_COLL_MISMATCH: never a
 * rank returning a wrong answer, never a hang.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";
import { generateMap, parseMapBy } from "../../src/placement/index.ts";
import { transportNames } from "../../src/transport/registry.ts";

const program = (name: string): string => fileURLToPath(new URL(`./programs/${name}.ts`, import.meta.url));
const CHECKED = { "coll.check": "full" };
const CASES = 12;

async function mismatches(np: number, options: Partial<Parameters<typeof launch>[0]> = {}): Promise<void> {
  const lines: string[] = [];
  const r = await launch({ np, program: program("mismatch"), stdout: () => {}, stderr: (l) => lines.push(l), settings: CHECKED, ...options });
  expect(r.failure, lines.join("\n")).toBeUndefined();
  for (const rank of r.ranks) expect(rank.value, `rank ${rank.rank}`).toEqual([...Array.from({ length: CASES }, () => "ERR_COLL_MISMATCH"), String(np)]);
}

const spread = (transport: string) => generateMap({ np: 4, hosts: 2, vmsPerHost: 2, mapBy: parseMapBy("cyclic"), transport });

describe("checked collectives in the simulator", () => {
  it.each([2, 3, 5, 8])("every mismatch rejects on every one of %i ranks", (np) => mismatches(np, { engine: "sim" }));
  it("the collectives program passes with the check on", { timeout: 180_000 }, async () => {
    for (const np of [1, 2, 3, 4, 7]) {
      const lines: string[] = [];
      const r = await launch({ np, engine: "sim", program: program("collectives"), args: ["--checked"], stdout: () => {}, stderr: (l) => lines.push(l), settings: CHECKED });
      expect(r.failure, lines.join("\n")).toBeUndefined();
    }
  });
});

describe("checked collectives live", () => {
  it("every mismatch rejects on every rank over shared memory (3 ranks in one VM)", { timeout: 120_000 }, () => mismatches(3));
  it.each(transportNames("inter-vm"))("every mismatch rejects on every rank over %s (one rank per VM)", { timeout: 120_000 }, (transport) =>
    mismatches(4, { placement: spread(transport) }),
  );
  it("the collectives program passes with the check on over shared memory", { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const r = await launch({ np: 3, program: program("collectives"), args: ["--checked"], stdout: () => {}, stderr: (l) => lines.push(l), settings: CHECKED });
    expect(r.failure, lines.join("\n")).toBeUndefined();
  });
});

/** The cheap check's cases: differences in kind, root or op. */
const UNCHECKED = ["bcast roots", "reduce roots", "gather roots", "scatter roots", "allreduce ops", "reduce ops", "barrier against allreduce", "bcast against allgather"];

async function endsInMismatch(name: string, np: number, options: Partial<Parameters<typeof launch>[0]> = {}): Promise<void> {
  const lines: string[] = [];
  const r = await launch({
    np,
    program: program("mismatch"),
    args: [name],
    stdout: () => {},
    stderr: (l) => lines.push(l),
    settings: { "job.deadlockAfter": "1" },
    ...options,
  });
  expect(r.ok, `${name}: ${lines.join("\n")}`).toBe(false);
  expect(r.failure, name).toMatch(/ERR_COLL_MISMATCH/);
}

describe("the cheap check, always on", () => {
  it.each([2, 3, 4, 7])("ends every mismatch in the simulator with ERR_COLL_MISMATCH (%i ranks)", async (np) => {
    for (const name of UNCHECKED) await endsInMismatch(name, np, { engine: "sim" });
  });
  it("ends mismatches live over shared memory (3 ranks in one VM)", { timeout: 180_000 }, async () => {
    for (const name of ["allreduce ops", "bcast roots", "barrier against allreduce"]) await endsInMismatch(name, 3);
  });
  it("ends mismatches live over vf (4 ranks, one per VM)", { timeout: 180_000 }, async () => {
    for (const name of ["allreduce ops", "reduce roots", "bcast against allgather"]) await endsInMismatch(name, 4, { placement: spread("vf") });
  });
});
