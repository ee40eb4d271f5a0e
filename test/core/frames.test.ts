import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameType, HEADER_BYTES, type Header, readHeader, writeHeader } from "../../src/core/frames.ts";

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
});
