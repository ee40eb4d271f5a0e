/**
 * Mismatched collectives with the default settings (no --check-collectives;
 * issue 16): every case of programs/mismatch.ts — different roots, ops,
 * counts, kinds of collective, forced algorithms — in the simulator and live
 * over shared memory (point-to-point and, warmed up, the shared-memory
 * collectives), vf and bridged. A program that catches the error sees
 * ERR_COLL_MISMATCH on every rank (from the call, or from its next
 * collective on that communicator, the call having returned before the
 * mismatch was found elsewhere), and one that does not ends the job with it;
 * never a wrong answer, never a hang. A mismatch that no message shows (every
 * rank waits to receive) is ended by the hang watch, with ERR_COLL_MISMATCH.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";
import { generateMap, parseMapBy } from "../../src/placement/index.ts";
import { transportNames } from "../../src/transport/registry.ts";

const program = fileURLToPath(new URL("./programs/mismatch.ts", import.meta.url));

const CASES = [
  "bcast roots",
  "reduce roots",
  "gather roots",
  "scatter roots",
  "allreduce ops",
  "reduce ops",
  "allreduce counts",
  "scan counts",
  "barrier against allreduce",
  "bcast against allgather",
  "alltoall block counts",
  "forced algorithms",
];

type Options = Partial<Parameters<typeof launch>[0]>;

/** Run one case with "catch": every rank's code is ERR_COLL_MISMATCH, or the hang watch ended the job with it. */
async function caught(name: string, np: number, options: Options, flags: string[] = []): Promise<void> {
  const lines: string[] = [];
  const r = await launch({
    np,
    program,
    args: [name, "catch", ...flags],
    stdout: () => {},
    stderr: (l) => lines.push(l),
    settings: { "job.deadlockAfter": "1" },
    ...options,
  });
  if (r.failure !== undefined) {
    // Only a mismatch no message shows may end the job: through the hang watch, naming the calls.
    expect(r.failure, `${name}: ${lines.join("\n")}`).toMatch(/ERR_COLL_MISMATCH: rank \d+ waits in/);
    return;
  }
  for (const rank of r.ranks) expect(rank.value, `${name}, rank ${rank.rank}`).toBe("ERR_COLL_MISMATCH");
}

/** Run one case uncaught: the job ends with ERR_COLL_MISMATCH. */
async function uncaught(name: string, np: number, options: Options): Promise<void> {
  const lines: string[] = [];
  const r = await launch({ np, program, args: [name], stdout: () => {}, stderr: (l) => lines.push(l), settings: { "job.deadlockAfter": "1" }, ...options });
  expect(r.ok, `${name}: ${lines.join("\n")}`).toBe(false);
  expect(r.failure, name).toMatch(/ERR_COLL_MISMATCH/);
}

const spread = (transport: string) => generateMap({ np: 4, hosts: 2, vmsPerHost: 2, mapBy: parseMapBy("cyclic"), transport });

describe("mismatched collectives, default settings, in the simulator", () => {
  it.each([2, 3, 4, 5])("every case fails every one of %i ranks with ERR_COLL_MISMATCH", { timeout: 120_000 }, async (np) => {
    for (const name of CASES) await caught(name, np, { engine: "sim" });
  });
  it("an uncaught mismatch ends the job with ERR_COLL_MISMATCH", { timeout: 120_000 }, async () => {
    for (const name of CASES) await uncaught(name, 3, { engine: "sim" });
  });
});

describe("mismatched collectives, default settings, live", () => {
  it("over shared memory, point to point (3 ranks in one VM)", { timeout: 300_000 }, async () => {
    for (const name of CASES) await caught(name, 3, {});
  });
  it("over shared memory, with the shared-memory collectives (3 ranks in one VM, warmed up)", { timeout: 300_000 }, async () => {
    for (const name of CASES) await caught(name, 3, {}, ["warm"]);
  });
  it.each(transportNames("inter-vm").filter((t) => t !== "slurpoe"))("over %s (4 ranks, one per VM)", { timeout: 300_000 }, async (transport) => {
    for (const name of CASES) await caught(name, 4, { placement: spread(transport) });
  });
});
