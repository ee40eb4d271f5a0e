import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { At, FrameType, HEADER_BYTES, type Header, NATIVE_LITTLE_ENDIAN, readHeader, stampEagerWords, stampHeader, writeHeader } from "../../src/core/frames.ts";

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const i32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });

describe("frame headers", () => {
  it("round-trip every field at any offset", () => {
    fc.assert(
      fc.property(
        fc.record({
          type: fc.constantFrom(...Object.values(FrameType)),
          kind: fc.integer({ min: 0, max: 255 }),
          flags: fc.integer({ min: 0, max: 0xffff }),
          context: i32,
          source: i32,
          tag: i32,
          sequence: u32,
          totalBytes: u32,
          senderRequest: u32,
          receiverRequest: u32,
          offset: u32,
        }),
        fc.integer({ min: 0, max: 64 }),
        (h: Header, at) => {
          const view = new DataView(new ArrayBuffer(at + HEADER_BYTES));
          writeHeader(view, at, h);
          expect(readHeader(view, at)).toEqual(h);
        },
      ),
    );
  });

  it("is little-endian with the documented offsets", () => {
    const view = new DataView(new ArrayBuffer(HEADER_BYTES));
    writeHeader(view, 0, {
      type: FrameType.EAGER,
      kind: 9,
      flags: 0,
      context: 2,
      source: 3,
      tag: 0x01020304,
      sequence: 5,
      totalBytes: 6,
      senderRequest: 7,
      receiverRequest: 8,
      offset: 9,
    });
    const b = new Uint8Array(view.buffer);
    expect(b[0]).toBe(1);
    expect(b[1]).toBe(9);
    expect(b[4]).toBe(2);
    expect(b[8]).toBe(3);
    expect([...b.subarray(12, 16)]).toEqual([4, 3, 2, 1]);
    expect(b[16]).toBe(5);
    expect(b[20]).toBe(6);
    expect(b[32]).toBe(9);
  });

  it("an EAGER header stamped by words is the same bytes as stampHeader's, over any earlier header", () => {
    // The eager fast path stamps words only on little-endian platforms; this
    // machine is one, or the path is not taken and there is nothing to compare.
    expect(NATIVE_LITTLE_ENDIAN).toBe(true);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 13 }),
        i32,
        i32,
        i32,
        u32,
        u32,
        fc.integer({ min: 0, max: 1 << 20 }),
        fc.uint8Array({ minLength: HEADER_BYTES, maxLength: HEADER_BYTES }),
        (kind, context, source, tag, sequence, total, credits, before) => {
          const byWords = new Uint8Array(before);
          stampEagerWords(new Int32Array(byWords.buffer), kind, context, source, tag, sequence, total, credits);
          const byView = new Uint8Array(HEADER_BYTES);
          const view = new DataView(byView.buffer);
          stampHeader(view, 0, FrameType.EAGER, kind, 0, context, source, tag, sequence, total, 0, 0, 0);
          view.setUint32(At.CREDITS, credits, true);
          expect([...byWords]).toEqual([...byView]);
        },
      ),
    );
  });
});
