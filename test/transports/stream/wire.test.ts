import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeFrame, FrameDecoder, FrameError, type FrameLimits, WIRE_HEADER_BYTES, WireType } from "../../../transports/stream/wire.ts";

const limits: FrameLimits = { maxBody: 4096, minData: 40, size: 8 };

interface Got {
  type: number;
  source: number;
  dest: number;
  body: number[];
}

function decodeAll(chunks: Uint8Array[], end = true): Got[] {
  const got: Got[] = [];
  const d = new FrameDecoder(limits, (type, source, dest, body) => got.push({ type, source, dest, body: [...body] }));
  for (const c of chunks) d.push(c);
  if (end) d.end();
  return got;
}

/** Split `bytes` at the given cut points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.byteLength + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  out.push(bytes.subarray(at));
  return out;
}

const frameArb = fc.record({
  source: fc.integer({ min: 0, max: 7 }),
  dest: fc.integer({ min: 0, max: 7 }),
  body: fc.uint8Array({ minLength: 40, maxLength: 600 }),
});

/** A stream of random bytes or a mutated valid frame, with the rejection it must cause. */
function mutated(seed: number): Uint8Array {
  let x = seed * 2654435761 + 1;
  const rnd = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n; // high bits: an LCG's low bits cycle
  };
  const body = new Uint8Array(40 + rnd(200));
  const f = encodeFrame(WireType.DATA, rnd(8), rnd(8), body);
  switch (rnd(8)) {
    case 0:
      f.writeUInt16LE(f.readUInt16LE(0) ^ (1 + rnd(0xfffe)), 0); // magic
      break;
    case 1:
      f[2] = 2 + rnd(250); // version
      break;
    case 2:
      f[3] = 5 + rnd(250); // unknown type
      break;
    case 3:
      f.writeUInt32LE(limits.maxBody + 1 + rnd(0x7fffffff), 4); // too large: must not allocate
      break;
    case 4:
      f.writeUInt32LE(rnd(40), 4); // shorter than a core header
      break;
    case 5:
      f.writeInt32LE(rnd(2) ? 8 + rnd(1 << 20) : -1 - rnd(1 << 20), 8 + 4 * rnd(2)); // rank out of range
      break;
    case 6:
      return f.subarray(0, 1 + rnd(f.byteLength - 1)); // truncated: the stream ends inside the frame
    default:
      f[3] = WireType.BYE; // a control frame that carries a body
      break;
  }
  return f;
}

describe("FrameDecoder", () => {
  it("decodes any sequence of frames however the stream is cut into chunks", () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (frames, cuts) => {
        const stream = Buffer.concat(frames.map((f) => encodeFrame(WireType.DATA, f.source, f.dest, f.body)));
        expect(decodeAll(split(stream, cuts))).toEqual(frames.map((f) => ({ type: WireType.DATA, source: f.source, dest: f.dest, body: [...f.body] })));
      }),
    );
  });

  it("passes control frames with no body", () => {
    const s = Buffer.concat([encodeFrame(WireType.ANNOUNCE, 3, -1), encodeFrame(WireType.LOST, 5, -1)]);
    expect(decodeAll([s])).toEqual([
      { type: WireType.ANNOUNCE, source: 3, dest: -1, body: [] },
      { type: WireType.LOST, source: 5, dest: -1, body: [] },
    ]);
  });

  it("rejects a huge length from the header alone, before any body byte arrives", () => {
    const h = encodeFrame(WireType.DATA, 0, 1, new Uint8Array(40)).subarray(0, WIRE_HEADER_BYTES);
    h.writeUInt32LE(0xffffffff, 4);
    const d = new FrameDecoder(limits, () => {});
    const e = (() => {
      try {
        d.push(h);
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(FrameError);
    expect((e as FrameError).reason).toBe("TOO_LARGE");
    expect((e as FrameError).code).toBe("ERR_TRANSPORT");
    // A broken decoder stays broken.
    expect(() => d.push(new Uint8Array(1))).toThrow(FrameError);
  });

  it("rejects 10^5 random and mutated streams, each with a typed error, without crashing or hanging", { timeout: 60_000 }, () => {
    const started = performance.now();
    const codes = new Map<string, number>();
    let rejected = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      let input: Uint8Array;
      if (i % 2 === 0) {
        input = new Uint8Array(1 + ((i * 7919) % 300));
        let x = i + 17;
        for (let j = 0; j < input.length; j++) {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          input[j] = x >>> 24;
        }
      } else input = mutated(i);
      const d = new FrameDecoder(limits, () => {});
      try {
        // Feed in two pieces, then end: covers the assembling path too.
        const cut = input.byteLength >> 1;
        d.push(input.subarray(0, cut));
        d.push(input.subarray(cut));
        d.end();
      } catch (e) {
        if (!(e instanceof FrameError)) throw new Error(`input ${i} raised ${String(e)} instead of a FrameError`);
        rejected++;
        codes.set(e.reason, (codes.get(e.reason) ?? 0) + 1);
      }
    }
    expect(rejected).toBe(n);
    for (const c of ["BAD_MAGIC", "BAD_VERSION", "BAD_TYPE", "TOO_LARGE", "TOO_SMALL", "BAD_RANK", "TRUNCATED"]) expect(codes.get(c) ?? 0).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it("survives random byte flips anywhere in valid frames: every outcome is a frame or a FrameError", () => {
    fc.assert(
      fc.property(frameArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (f, flips) => {
        const b = encodeFrame(WireType.DATA, f.source, f.dest, f.body);
        for (const [at, v] of flips) b[at % b.byteLength] = v;
        try {
          for (const g of decodeAll([b])) {
            expect(g.source).toBeGreaterThanOrEqual(0);
            expect(g.body.length).toBeLessThanOrEqual(limits.maxBody);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(FrameError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
