import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANY_SOURCE, ANY_TAG } from "../../src/constants.ts";
import { envelopeMatches, MatchingContext, type PostedMatch } from "../../src/core/matching.ts";

interface Posted extends PostedMatch {
  id: number;
}

const source = fc.integer({ min: 0, max: 3 });
const tag = fc.integer({ min: 0, max: 3 });

describe("matching", () => {
  it("ANY_TAG matches user tags only; ANY_SOURCE any source", () => {
    expect(envelopeMatches(ANY_SOURCE, ANY_TAG, 3, 0)).toBe(true);
    expect(envelopeMatches(ANY_SOURCE, ANY_TAG, 3, -1)).toBe(false);
    expect(envelopeMatches(2, 5, 2, 5)).toBe(true);
    expect(envelopeMatches(2, 5, 1, 5)).toBe(false);
    expect(envelopeMatches(2, ANY_TAG, 2, 9)).toBe(true);
  });

  it("takes the earliest-posted matching receive (sequential reference)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ source: fc.oneof(source, fc.constant(ANY_SOURCE)), tag: fc.oneof(tag, fc.constant(ANY_TAG)) }), { maxLength: 20 }),
        fc.array(fc.record({ source, tag }), { maxLength: 20 }),
        (receives, arrivals) => {
          const ctx = new MatchingContext<Posted>(0, 4);
          const reference: Posted[] = [];
          receives.forEach((r, id) => {
            ctx.posted.push({ ...r, id });
            reference.push({ ...r, id });
          });
          for (const a of arrivals) {
            const got = ctx.takePosted(a.source, a.tag);
            const i = reference.findIndex((p) => (p.source === ANY_SOURCE || p.source === a.source) && (p.tag === ANY_TAG || p.tag === a.tag));
            const want = i >= 0 ? reference.splice(i, 1)[0] : undefined;
            expect(got?.id).toBe(want?.id);
          }
          expect(ctx.posted.map((p) => p.id)).toEqual(reference.map((p) => p.id));
        },
      ),
    );
  });

  it("finds the earliest matching unexpected message", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ source, tag }), { maxLength: 20 }), source, tag, (arrived, s, t) => {
        const ctx = new MatchingContext<Posted>(0, 4);
        for (const a of arrived)
          ctx.unexpected.push({
            ...a,
            kind: 0,
            totalBytes: 0,
            worldSource: a.source,
            eagerBytes: undefined,
            senderRequest: 0,
            rendezvous: false,
            exposed: undefined,
          });
        const want = arrived.findIndex((a) => a.source === s && a.tag === t);
        expect(ctx.findUnexpected(s, t)).toBe(want);
      }),
    );
  });

  it("holds frames that arrive ahead of their turn and releases them in sequence order", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...Array(12).keys()], { minLength: 12, maxLength: 12 }), (order) => {
        const ctx = new MatchingContext<Posted>(0, 2);
        const delivered: number[] = [];
        for (const seq of order) {
          const frame = { worldSource: 1, frame: Uint8Array.of(seq) };
          if (!ctx.inTurn(1, seq)) {
            ctx.hold(1, seq, frame);
            continue;
          }
          delivered.push(seq);
          ctx.advance(1);
          for (let h = ctx.takeHeldInTurn(1); h; h = ctx.takeHeldInTurn(1)) {
            delivered.push(h.frame[0]!);
            ctx.advance(1);
          }
        }
        expect(delivered).toEqual([...Array(12).keys()]);
        expect(ctx.heldCount()).toBe(0);
      }),
    );
  });
});
