// The SLURPoE frame codec: round trips, and every malformed frame is named, never accepted.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeHeader, emptyHeader, encodeFrame, FRAME_HEADER_BYTES, Flag, Opcode, psnDistance } from "../../../transports/slurpoe/codec.ts";

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const dataOpcode = fc.constantFrom(Opcode.SEND, Opcode.RDMA_WRITE, Opcode.RDMA_READ_RESPONSE);

describe("SLURPoE codec", () => {
  it("decodes what it encodes (data frames with payload)", () => {
    fc.assert(
      fc.property(
        dataOpcode,
        fc.integer({ min: 0, max: 15 }),
        u32,
        u32,
        u32,
        u32,
        u32,
        u32,
        fc.uint8Array({ maxLength: 2000 }),
        (opcode, flags, dst, src, psn, a, b, c, payload) => {
          const h = { opcode, flags, payloadBytes: 0, dstQpn: dst, srcQpn: src, psn, a, b, c, d: (a ^ b) >>> 0, tagHigh: c, tagLow: psn };
          const frame = encodeFrame(h, payload);
          expect(frame.byteLength).toBe(FRAME_HEADER_BYTES + payload.byteLength);
          const out = emptyHeader();
          expect(decodeHeader(frame, out)).toBeUndefined();
          expect(out).toEqual({ ...h, payloadBytes: payload.byteLength });
          expect(frame.subarray(FRAME_HEADER_BYTES)).toEqual(payload);
        },
      ),
    );
  });

  it("decodes control frames, at any offset inside a larger buffer", () => {
    const frame = encodeFrame({ ...emptyHeader(), opcode: Opcode.ACK, dstQpn: 7, srcQpn: 9, psn: 0xfffffffe, a: 32, b: 123456 });
    const big = new Uint8Array(100);
    big.set(frame, 17);
    const out = emptyHeader();
    expect(decodeHeader(big.subarray(17, 17 + frame.byteLength), out)).toBeUndefined();
    expect(out).toMatchObject({ opcode: Opcode.ACK, dstQpn: 7, srcQpn: 9, psn: 0xfffffffe, a: 32, b: 123456, payloadBytes: 0 });
  });

  it("names why a frame is malformed", () => {
    const good = encodeFrame({ ...emptyHeader(), opcode: Opcode.SEND, flags: Flag.FIRST | Flag.LAST, a: 3 }, new Uint8Array([1, 2, 3]));
    const out = emptyHeader();
    const mutate = (at: number, value: number): Uint8Array => {
      const f = good.slice();
      f[at] = value;
      return f;
    };
    expect(decodeHeader(good.subarray(0, 20), out)).toBe("short");
    expect(decodeHeader(mutate(0, 0), out)).toBe("magic");
    expect(decodeHeader(mutate(2, 9), out)).toBe("version");
    expect(decodeHeader(mutate(3, 0), out)).toBe("opcode");
    expect(decodeHeader(mutate(3, 7), out)).toBe("opcode");
    expect(decodeHeader(mutate(4, 16), out)).toBe("flags");
    expect(decodeHeader(mutate(5, 1), out)).toBe("flags");
    expect(decodeHeader(mutate(7, 4), out)).toBe("length");
    expect(decodeHeader(good.subarray(0, good.byteLength - 1), out)).toBe("length");
    // An ACK, NAK or READ request never carries payload.
    expect(decodeHeader(mutate(3, Opcode.ACK), out)).toBe("length");
    expect(decodeHeader(mutate(3, Opcode.RDMA_READ_REQUEST), out)).toBe("length");
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const r = decodeHeader(bytes, emptyHeader());
        expect(r === undefined || typeof r === "string").toBe(true);
      }),
    );
  });

  it("measures sequence distance across the 32-bit wrap", () => {
    expect(psnDistance(0xfffffffe, 1)).toBe(3);
    expect(psnDistance(1, 0xfffffffe)).toBe(-3);
    expect(psnDistance(5, 5)).toBe(0);
  });
});
