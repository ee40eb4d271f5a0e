import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/placement/mapper/evaluate.ts";
import { graphFromProfile } from "../../../src/placement/mapper/graph.ts";
import type { PathCosts } from "../../../src/placement/mapper/costs.ts";
import type { Machine } from "../../../src/placement/mapper/machine.ts";
import type { CommProfile } from "../../../src/placement/profile.ts";
import { anyAssignment, pathCosts, problem } from "./arbitraries.ts";

/** The reference: every directed pair of the dense profile, priced by name, one pair at a time. */
function bruteForce(p: CommProfile, vmOf: ArrayLike<number>, m: Machine, c: PathCosts): { pairSeconds: number; loads: Map<string, number> } {
  const loads = new Map<string, number>();
  for (const r of c.shared) for (let i = 0; i < (r.scope === "host" ? m.hosts : m.hosts * m.vmsPerHost); i++) loads.set(`${r.name}@${r.scope}${i}`, 0);
  let pairSeconds = 0;
  for (let a = 0; a < p.np; a++)
    for (let b = 0; b < p.np; b++) {
      if (a === b) continue;
      const msgs = p.messages[a]![b]!;
      const bytes = p.bytes[a]![b]!;
      const hostA = Math.floor(vmOf[a]! / m.vmsPerHost);
      const hostB = Math.floor(vmOf[b]! / m.vmsPerHost);
      const level = vmOf[a] === vmOf[b] ? "sameVm" : hostA === hostB ? "sameHost" : "otherHost";
      pairSeconds += msgs * c[level].perMessage + bytes * c[level].perByte;
      if (level === "sameVm") continue;
      for (const r of c.shared) {
        if (!r.crossedBy.includes(level)) continue;
        const names = new Set(r.scope === "host" ? [`host${hostA}`, `host${hostB}`] : [`vm${vmOf[a]}`, `vm${vmOf[b]}`]);
        for (const n of names) {
          const key = `${r.name}@${n}`;
          loads.set(key, loads.get(key)! + msgs * r.perMessage + bytes * r.perByte);
          pairSeconds += msgs * r.perMessage + bytes * r.perByte;
        }
      }
    }
  return { pairSeconds, loads };
}

const close = (x: number, y: number): void => {
  expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-9 * Math.max(1e-12, Math.abs(x), Math.abs(y)));
};

describe("the cost function", () => {
  it("equals the brute-force sum over every pair, loads included, for any profile, costs and assignment (property)", () => {
    const input = problem.chain((pr) =>
      fc.record({ pr: fc.constant(pr), costs: pathCosts, vmOf: anyAssignment(pr.np, pr.machine.hosts * pr.machine.vmsPerHost) }),
    );
    fc.assert(
      fc.property(input, ({ pr, costs, vmOf }) => {
        // Same-named resources would share a load entry; the model names each resource once.
        costs.shared = costs.shared.filter((r, i) => costs.shared.findIndex((s) => s.name === r.name) === i);
        const got = evaluate(graphFromProfile(pr.profile), vmOf, pr.machine, costs);
        const want = bruteForce(pr.profile, vmOf, pr.machine, costs);
        close(got.pairSeconds, want.pairSeconds);
        expect(Object.keys(got.loads).sort()).toEqual([...want.loads.keys()].sort());
        for (const [k, v] of want.loads) close(got.loads[k]!, v);
        const busiest = Math.max(0, ...want.loads.values());
        close(got.estimate, want.pairSeconds / pr.np + busiest);
      }),
      { numRuns: 200 },
    );
  });

  it("reports the share of bytes inside VMs and inside hosts", () => {
    const m = { hosts: 2, vmsPerHost: 2, slots: 1 };
    const costs: PathCosts = {
      transport: "vf",
      sameVm: { perMessage: 0, perByte: 0 },
      sameHost: { perMessage: 0, perByte: 0 },
      otherHost: { perMessage: 0, perByte: 0 },
      shared: [],
    };
    // 0→1 in one host (VMs 0,1), 0→2 across hosts; with slots 1 nothing shares a VM.
    const p: CommProfile = {
      np: 4,
      bytes: [
        [0, 300, 100, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
      messages: [
        [0, 1, 1, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    };
    const e = evaluate(graphFromProfile(p), [0, 1, 2, 3], m, costs);
    expect(e.bytesInsideVms).toBe(0);
    expect(e.bytesInsideHosts).toBe(0.75);
    expect(e.busiest).toBeUndefined();
  });
});
