/**
 * One conformance suite, parametrised over both engines and every registered
 * transport: the point-to-point program (programs/p2p.ts) and the collectives
 * program (programs/collectives.ts), and the semantics program
 * (programs/semantics.ts: issue 16's point 8 and typed mistakes) must pass
 *   - in the simulator (one thread, every size from 1 to 16 for collectives);
 *   - live over shared memory (every rank in one VM);
 *   - live over each inter-VM transport, with ranks spread over 2 hosts x 2 VMs
 *     (shared memory inside a VM, the transport across), checking from the
 *     transports' counters that every rank really used it.
 * SLURPoE's modes, batching and lossy wire have their own end-to-end file
 * (test/transports/slurpoe/end-to-end.test.ts).
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";
import { generateMap, parseMapBy } from "../../src/placement/index.ts";
import { transportNames } from "../../src/transport/registry.ts";

const program = (name: string): string => fileURLToPath(new URL(`./programs/${name}.ts`, import.meta.url));
const PROGRAMS = ["p2p", "collectives", "semantics"] as const;

async function run(name: string, np: number, options: Partial<Parameters<typeof launch>[0]> = {}) {
  const lines: string[] = [];
  const r = await launch({ np, program: program(name), args: ["--quick"], stdout: () => {}, stderr: (l) => lines.push(l), ...options });
  expect(r.failure, lines.join("\n")).toBeUndefined();
  expect(r.ok).toBe(true);
  expect(r.ranks.every((x) => x.ok)).toBe(true);
  return r;
}

describe("conformance in the simulator", () => {
  it.each([1, 2, 3, 4])("p2p passes with %i ranks", (np) => run("p2p", np, { engine: "sim" }).then(() => undefined));
  it.each([1, 2, 3, 6])("semantics pass with %i ranks", (np) => run("semantics", np, { engine: "sim" }).then(() => undefined));
  it("collectives pass at every size from 1 to 16", { timeout: 180_000 }, async () => {
    for (let np = 1; np <= 16; np++) await run("collectives", np, { engine: "sim" });
  });
});

describe("conformance live over shared memory", () => {
  for (const name of PROGRAMS) it.each([2, 3, 5])(`${name} passes with %i ranks in one VM`, { timeout: 120_000 }, (np) => run(name, np).then(() => undefined));
});

describe.each(transportNames("inter-vm"))("conformance live over %s", (transport) => {
  for (const name of PROGRAMS)
    it(`${name} passes with 8 ranks on 2 hosts x 2 VMs, and every rank used ${transport}`, { timeout: 120_000 }, async () => {
      const r = await run(name, 8, { placement: generateMap({ np: 8, hosts: 2, vmsPerHost: 2, mapBy: parseMapBy("random:7"), transport }) });
      // Counter names differ by transport: the socket ones count framesSent, SLURPoE's host side frames.
      const used = Object.values(r.stats!.ranks).filter((t) => (t[transport]?.framesSent ?? t[transport]?.frames ?? 0) > 0).length;
      expect(used).toBe(8);
    });
  it("p2p passes with one rank per VM (cyclic)", { timeout: 120_000 }, () =>
    run("p2p", 4, { placement: generateMap({ np: 4, hosts: 2, vmsPerHost: 2, mapBy: parseMapBy("cyclic"), transport }) }).then(() => undefined),
  );
});
