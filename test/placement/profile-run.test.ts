/**
 * `tsmpi profile`: every message the core sends is counted, point-to-point
 * and collective, in both engines; a profiled program with scrambled heavy
 * groups maps (issue 13's must-show) with >= 95 % of its bytes inside VMs.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch } from "../../src/launcher/launch.ts";
import { BRIDGED, place } from "../../src/placement/mapper/index.ts";
import { parseProfile } from "../../src/placement/profile.ts";
import { generateMap, parseMapBy } from "../../src/placement/strategies.ts";

const counted = fileURLToPath(new URL("./programs/counted.ts", import.meta.url));
const heavyGroups = fileURLToPath(new URL("../../examples/heavy-groups.ts", import.meta.url));

describe("tsmpi profile", () => {
  it("counts exactly the point-to-point messages and bytes, the same under the live and the sim engine", async () => {
    const np = 4;
    const live = await launch({
      np,
      program: counted,
      args: ["p2p"],
      profile: true,
      placement: generateMap({ np, hosts: 2, vmsPerHost: 1, mapBy: parseMapBy("block"), transport: "vf" }),
    });
    const sim = await launch({ np, program: counted, args: ["p2p"], profile: true, engine: "sim" });
    expect(live.ok && sim.ok).toBe(true);
    for (const r of [live, sim]) {
      const p = parseProfile(r.profile);
      for (let a = 0; a < np; a++)
        for (let b = 0; b < np; b++) {
          const next = b === (a + 1) % np;
          expect(p.messages[a]![b]).toBe(next ? 3 : 0);
          expect(p.bytes[a]![b]).toBe(next ? 300 : 0);
        }
    }
  });

  it("counts the messages of collectives too", async () => {
    const r = await launch({ np: 4, program: counted, args: ["coll"], profile: true, engine: "sim" });
    const p = parseProfile(r.profile);
    let messages = 0;
    let bytes = 0;
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++) {
        messages += p.messages[a]![b]!;
        bytes += p.bytes[a]![b]!;
      }
    // Beyond the ring's 12 messages of 100 B: the allreduce of 8000 B moved at least one 8000-B-worth per rank.
    expect(messages).toBeGreaterThan(12);
    expect(bytes - 1200).toBeGreaterThanOrEqual(4 * 8000 * 0.5);
  });

  it("gives no profile unless asked", async () => {
    const r = await launch({ np: 2, program: counted, args: ["p2p"], engine: "sim" });
    expect(r.profile).toBeUndefined();
  });

  it("profiles 64 ranks in 8 scrambled heavy groups, and comm-aware keeps >= 95 % of the bytes inside VMs on 2 × 4 × 8", async () => {
    const r = await launch({ np: 64, program: heavyGroups, args: ["8", "8", "7", "2"], profile: true, engine: "sim", stdout: () => {} });
    expect(r.ok).toBe(true);
    const profile = parseProfile(r.profile);
    const machine = { hosts: 2, vmsPerHost: 4, slots: 8 };
    const aware = await place({ strategy: "comm-aware", profile, machine, costs: BRIDGED, transport: "bridged" });
    expect(aware.evaluation!.bytesInsideVms).toBeGreaterThanOrEqual(0.95);
    for (const strategy of ["block", "cyclic"]) {
      const plain = await place({ strategy, profile, machine, costs: BRIDGED, transport: "bridged" });
      expect(plain.evaluation!.bytesInsideVms).toBeLessThan(0.2);
    }
  });
});
