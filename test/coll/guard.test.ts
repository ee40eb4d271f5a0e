/**
 * The always-on mismatch guard (src/coll/guard.ts): two tags for one call
 * number are a clash, whichever comes first (this rank's call, or a message);
 * a program whose ranks agree never clashes, however its messages interleave
 * with its calls and however far call numbers wrap.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SEQUENCE_BITS, SEQUENCE_MASK, signature } from "../../src/coll/check.ts";
import { CallGuard, clashError } from "../../src/coll/guard.ts";
import { Op } from "../../src/coll/op.ts";

const tag = (call: number, sig: number): number => (call & SEQUENCE_MASK) | (sig << SEQUENCE_BITS);
const BCAST0 = signature("bcast", 0);
const BCAST1 = signature("bcast", 1);

describe("the collective call guard", () => {
  it("finds a message of another call at a number this rank called", () => {
    const g = new CallGuard();
    expect(g.issue(tag(0, BCAST0))).toBeUndefined();
    expect(g.arrived(2, tag(0, BCAST0))).toBeUndefined();
    const clash = g.arrived(1, tag(0, BCAST1));
    expect(clash).toEqual({ mine: tag(0, BCAST0), theirs: tag(0, BCAST1), from: 1, firstFrom: -1 });
    expect(clashError(3, 1, clash!).message).toMatch(/ERR_COLL_MISMATCH: rank 3 called bcast\(root=0\) \(collective call #0\) where rank 1 sent a message of bcast\(root=1\)/);
  });

  it("finds a call that differs from a message that came for it first, and two messages that differ", () => {
    const g = new CallGuard();
    expect(g.arrived(1, tag(0, signature("allreduce", 0, Op.SUM)))).toBeUndefined();
    expect(g.issue(tag(0, signature("allreduce", 0, Op.MAX)))).toMatchObject({ from: 1, firstFrom: -1 });
    const h = new CallGuard();
    expect(h.arrived(1, tag(0, signature("barrier")))).toBeUndefined();
    const clash = h.arrived(2, tag(0, signature("allgather")));
    expect(clash).toMatchObject({ from: 2, firstFrom: 1 });
    expect(clashError(0, 1, clash!).message).toMatch(/rank 1 sent rank 0 a message of barrier .* where rank 2 sent a message of allgather/);
  });

  it("tells forced algorithms apart in collectives without a root", () => {
    expect(signature("allreduce", 0, Op.SUM, "linear")).not.toBe(signature("allreduce", 0, Op.SUM, "recursive_doubling"));
    expect(signature("allreduce", 0, Op.SUM, "linear")).not.toBe(signature("allreduce", 0, Op.SUM));
    expect(signature("bcast", 3, undefined, "linear")).toBe(signature("bcast", 3));
  });

  it("never clashes in a program whose ranks agree, across wrap-around", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 2 ** 16 - 1 }),
        (runs, leads, seed) => {
          // Every call's signature is a function of its number; peers run up to `lead` calls ahead of this rank.
          const sigOf = (call: number): number => (Math.imul(call ^ seed, 2654435761) >>> 16) & 0xffff;
          const g = new CallGuard();
          let call = 0;
          for (const [i, n] of runs.entries()) {
            const lead = leads[i % leads.length]!;
            for (let k = 0; k < n; k++, call++) {
              for (let a = 0; a <= lead; a++) if (g.arrived(1, tag(call + a, sigOf(call + a)))) return false;
              if (g.issue(tag(call, sigOf(call)))) return false;
              if (g.arrived(2, tag(call, sigOf(call)))) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 60 },
    );
  });

  it("keeps no stale early message across a wrap of call numbers", () => {
    const g = new CallGuard();
    // A message for call 5 arrives early; 5 is then called alike, and 2^14 calls later call number 5 comes back with another signature.
    expect(g.arrived(1, tag(5, BCAST0))).toBeUndefined();
    for (let c = 0; c <= SEQUENCE_MASK + 1 + 5; c++) expect(g.issue(tag(c, c === 5 ? BCAST0 : BCAST1)), `call ${c}`).toBeUndefined();
  });
});
