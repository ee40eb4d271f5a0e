import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANY_SOURCE, ANY_TAG } from "../../src/constants.ts";
import { envelopeMatches, MatchingContext, type PostedMatch, type UnexpectedMessage } from "../../src/core/matching.ts";

interface Posted extends PostedMatch {
  id: number;
}

const source = fc.integer({ min: 0, max: 3 });
const tag = fc.integer({ min: 0, max: 3 });

/** An eager message from `source`; `senderRequest` carries its id. */
const message = (source: number, tag: number, id: number): UnexpectedMessage => ({
  source,
  tag,
  kind: 0,
  totalBytes: 0,
  worldSource: source,
  eagerBytes: undefined,
  senderRequest: id,
  rendezvous: false,
  exposed: undefined,
});

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
            ctx.post({ ...r, id });
            reference.push({ ...r, id });
          });
          for (const a of arrivals) {
            const got = ctx.takePosted(a.source, a.tag);
            const i = reference.findIndex((p) => envelopeMatches(p.source, p.tag, a.source, a.tag));
            const want = i >= 0 ? reference.splice(i, 1)[0] : undefined;
            expect(got?.id).toBe(want?.id);
          }
          expect(ctx.postedInOrder().map((p) => p.id)).toEqual(reference.map((p) => p.id));
        },
      ),
    );
  });

  it("finds the earliest-arrived matching unexpected message, for wildcard receives too", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ source, tag: fc.integer({ min: -2, max: 3 }) }), { maxLength: 20 }),
        fc.oneof(source, fc.constant(ANY_SOURCE)),
        fc.oneof(tag, fc.constant(ANY_TAG)),
        (arrived, s, t) => {
          const ctx = new MatchingContext<Posted>(0, 4);
          for (const [i, a] of arrived.entries()) ctx.addUnexpected(message(a.source, a.tag, i));
          const want = arrived.findIndex((a) => envelopeMatches(s, t, a.source, a.tag));
          expect(ctx.findUnexpected(s, t)?.senderRequest ?? -1).toBe(want);
          expect(ctx.takeUnexpected(s, t)?.senderRequest ?? -1).toBe(want);
          const left = arrived.map((_, i) => i).filter((i) => i !== want);
          expect(ctx.unexpectedInOrder().map((m) => m.senderRequest)).toEqual(left);
        },
      ),
    );
  });

  it("pairs receives and messages as one list searched in order does, whatever the interleaving", () => {
    // A receive first searches the unexpected messages; an arrival first searches the posted receives.
    const step = fc.oneof(
      fc.record({ post: fc.constant(true), source: fc.oneof(source, fc.constant(ANY_SOURCE)), tag: fc.oneof(tag, fc.constant(ANY_TAG)) }),
      fc.record({ post: fc.constant(false), source, tag: fc.integer({ min: -1, max: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const ctx = new MatchingContext<Posted>(0, 4);
        const posted: Posted[] = [];
        const unexpected: UnexpectedMessage[] = [];
        const pairs: [number, number][] = [];
        const want: [number, number][] = [];
        steps.forEach((st, id) => {
          if (st.post) {
            const m = ctx.takeUnexpected(st.source, st.tag);
            if (m) pairs.push([id, m.senderRequest]);
            else ctx.post({ source: st.source, tag: st.tag, id });
            const i = unexpected.findIndex((u) => envelopeMatches(st.source, st.tag, u.source, u.tag));
            if (i >= 0) want.push([id, unexpected.splice(i, 1)[0]!.senderRequest]);
            else posted.push({ source: st.source, tag: st.tag, id });
          } else {
            const p = ctx.takePosted(st.source, st.tag);
            if (p) pairs.push([p.id, id]);
            else ctx.addUnexpected(message(st.source, st.tag, id));
            const i = posted.findIndex((q) => envelopeMatches(q.source, q.tag, st.source, st.tag));
            if (i >= 0) want.push([posted.splice(i, 1)[0]!.id, id]);
            else unexpected.push(message(st.source, st.tag, id));
          }
        });
        expect(pairs).toEqual(want);
        expect(ctx.postedInOrder().map((p) => p.id)).toEqual(posted.map((p) => p.id));
        expect(ctx.unexpectedInOrder().map((m) => m.senderRequest)).toEqual(unexpected.map((m) => m.senderRequest));
        expect(ctx.takeAllPosted().map((p) => p.id)).toEqual(posted.map((p) => p.id));
        expect(ctx.postedInOrder()).toEqual([]);
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
