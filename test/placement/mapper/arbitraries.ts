/** fast-check generators shared by the mapper tests: machines, path costs, profiles and assignments that fit. */
import fc from "fast-check";
import type { PathCosts } from "../../../src/placement/mapper/costs.ts";
import type { Machine } from "../../../src/placement/mapper/machine.ts";
import { type CommProfile, emptyProfile } from "../../../src/placement/profile.ts";

// Costs on a grid of realistic magnitudes (0.01 µs, 0.01 ns/B steps), not subnormal doubles.
const seconds = (step: number, max: number) => fc.integer({ min: 0, max }).map((k) => k * step);
const unit = fc.record({ perMessage: seconds(1e-8, 10_000), perByte: seconds(1e-11, 1000) });

export const pathCosts: fc.Arbitrary<PathCosts> = fc.record({
  transport: fc.constantFrom("bridged", "vf", "slurpoe"),
  sameVm: unit,
  sameHost: unit,
  otherHost: unit,
  shared: fc.array(
    fc.record({
      name: fc.constantFrom("bridge", "nic", "link"),
      scope: fc.constantFrom("host" as const, "vm" as const),
      crossedBy: fc.subarray(["sameHost" as const, "otherHost" as const]),
      perMessage: seconds(1e-8, 1000),
      perByte: seconds(1e-11, 100),
    }),
    { maxLength: 2 },
  ),
});

export const machine: fc.Arbitrary<Machine> = fc.record({
  hosts: fc.integer({ min: 1, max: 3 }),
  vmsPerHost: fc.integer({ min: 1, max: 3 }),
  slots: fc.integer({ min: 1, max: 4 }),
});

/** A machine, a number of ranks that fits it, and a sparse random profile for them. */
export const problem: fc.Arbitrary<{ machine: Machine; np: number; profile: CommProfile }> = machine.chain((m) => {
  const vms = m.hosts * m.vmsPerHost;
  return fc.integer({ min: vms, max: vms * m.slots }).chain((np) =>
    fc.array(fc.tuple(fc.nat(np - 1), fc.nat(np - 1), fc.integer({ min: 1, max: 20 }), fc.nat(100_000)), { maxLength: 3 * np }).map((cells) => {
      const profile = emptyProfile(np);
      for (const [a, b, msgs, bytes] of cells) {
        if (a === b) continue;
        profile.messages[a]![b]! += msgs;
        profile.bytes[a]![b]! += bytes;
      }
      return { machine: m, np, profile };
    }),
  );
});

/** Any VM index per rank (not necessarily balanced). */
export function anyAssignment(np: number, vms: number): fc.Arbitrary<Int32Array> {
  return fc.array(fc.nat(vms - 1), { minLength: np, maxLength: np }).map((a) => Int32Array.from(a));
}
