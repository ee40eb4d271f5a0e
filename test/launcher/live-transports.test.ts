// The conformance and collectives programs over vf and bridged, in layouts
// with several ranks per VM (shm and network mixed) and one rank per VM.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";
import { generateMap, parseMapBy } from "../../src/placement/index.ts";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const p2p = here("../conformance/p2p-program.ts");
const collectives = here("../coll/programs/collectives-program.ts");

async function run(program: string, np: number, hosts: number, vmsPerHost: number, mapBy: string, transport: string): Promise<void> {
  const errors: string[] = [];
  const r = await launch({
    np,
    program,
    args: ["--quick"],
    placement: generateMap({ np, hosts, vmsPerHost, mapBy: parseMapBy(mapBy), transport }),
    stdout: () => {},
    stderr: (l) => errors.push(l),
  });
  expect(r.failure, errors.join("\n")).toBeUndefined();
  expect(r.ok).toBe(true);
  // Every rank really used the transport across VMs (counters come with --stats data).
  const used = Object.values(r.stats!.ranks).filter((t) => (t[transport]?.framesSent ?? 0) > 0).length;
  expect(used).toBe(np);
}

describe.each(["vf", "bridged"])("%s", (transport) => {
  it("passes the point-to-point conformance program with 2 ranks per VM, 2 hosts x 2 VMs (block)", { timeout: 60_000 }, () =>
    run(p2p, 8, 2, 2, "block", transport),
  );
  it("passes the point-to-point conformance program with one rank per VM (cyclic)", { timeout: 60_000 }, () => run(p2p, 4, 2, 2, "cyclic", transport));
  it.runIf(existsSync(collectives))("passes the collectives program, -n 8 on 2 hosts x 2 VMs, random:7", { timeout: 60_000 }, () =>
    run(collectives, 8, 2, 2, "random:7", transport),
  );
});
