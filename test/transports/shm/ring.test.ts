import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Ring, ringBytes } from "../../../transports/shm/ring.ts";

/** A frame whose bytes say which frame it is, so reordering or corruption shows. */
/** Callers re-stamp one header buffer (as src/core/outbound.ts does); the ring must copy what it holds now. */
const shared = new Uint8Array(40);

function frame(id: number, bytes: number): { header: Uint8Array; payload: Uint8Array } {
  const header = id % 3 === 0 ? new Uint8Array(40) : shared;
  new DataView(header.buffer).setUint32(0, id, true);
  new DataView(header.buffer).setUint32(4, bytes, true);
  const payload = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) payload[i] = (id * 31 + i) & 255;
  return { header, payload };
}

function check(got: Uint8Array, id: number): void {
  const v = new DataView(got.buffer, got.byteOffset, got.byteLength);
  expect(v.getUint32(0, true)).toBe(id);
  const bytes = v.getUint32(4, true);
  expect(got.byteLength).toBe(40 + bytes);
  for (let i = 0; i < bytes; i++) if (got[40 + i] !== ((id * 31 + i) & 255)) throw new Error(`frame ${id}: byte ${i} corrupt`);
}

describe("shm ring", () => {
  it("delivers every frame once, in order, whole, across wraps; refuses only when full", () => {
    const capacity = 4096;
    fc.assert(
      fc.property(
        // Each step: write a frame of some size, or read everything published.
        fc.array(fc.oneof(fc.integer({ min: 0, max: capacity / 4 - 64 }), fc.constant(-1)), { minLength: 1, maxLength: 200 }),
        (steps) => {
          // Producer and consumer each keep their own position: two Ring objects on one buffer.
          const buffer = new SharedArrayBuffer(ringBytes(capacity));
          const ring = new Ring(buffer, 0, capacity);
          const consumer = new Ring(buffer, 0, capacity);
          let next = 0;
          let expected = 0;
          let inFlight = 0;
          const read = (): void => {
            consumer.read(7, (source, f, start, length) => {
              expect(source).toBe(7);
              check(f.subarray(start, start + length), expected++);
              inFlight--;
            });
            expect(consumer.hasData()).toBe(false);
            consumer.release();
          };
          for (const s of steps) {
            if (s < 0) {
              read();
              continue;
            }
            const { header, payload } = frame(next, s);
            if (ring.tryWrite(header, payload)) {
              next++;
              inFlight++;
              expect(consumer.hasData()).toBe(true);
            } else {
              // Refused: there must be frames waiting, and after draining the same frame fits.
              expect(inFlight).toBeGreaterThan(0);
              read();
              expect(ring.tryWrite(header, payload)).toBe(true);
              next++;
              inFlight++;
            }
          }
          read();
          expect(expected).toBe(next);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never mistakes a previous lap's payload for a published record", () => {
    // Records are 64-byte aligned [length][stamp][40-byte header][payload],
    // and a record at position p is published by the stamp p + 1. The first
    // record's payload word at ring offset x holds x - 4 + 1024 + 1: the stamp
    // of a record starting at x - 4 one lap later. Small records then walk
    // into that lap over it; the reader must see exactly those, one at a time.
    const capacity = 1024;
    const buffer = new SharedArrayBuffer(ringBytes(capacity));
    const producer = new Ring(buffer, 0, capacity);
    const consumer = new Ring(buffer, 0, capacity);
    const header = new Uint8Array(40);
    const stale = new Int32Array(448 / 4);
    for (let i = 0; i < stale.length; i++) stale[i] = (48 + 4 * i - 4 + capacity) | 1;
    expect(producer.tryWrite(header, new Uint8Array(stale.buffer))).toBe(true);
    const lengths: number[] = [];
    const read = (): void => {
      consumer.read(0, (_s, _f, start, length) => {
        lengths.push(length);
        expect(start % 64).toBe(8);
      });
      consumer.release();
    };
    read();
    expect(lengths).toEqual([40 + 448]);
    for (let i = 0; i < 40; i++) {
      lengths.length = 0;
      expect(producer.tryWrite(header, new Uint8Array(8))).toBe(true);
      read();
      expect(lengths).toEqual([48]);
      expect(consumer.hasData()).toBe(false);
    }
  });

  it("a producer that last saw a full ring sees the room the consumer freed", () => {
    const capacity = 1024;
    const buffer = new SharedArrayBuffer(ringBytes(capacity));
    const producer = new Ring(buffer, 0, capacity);
    const consumer = new Ring(buffer, 0, capacity);
    let written = 0;
    while (producer.tryWrite(frame(written, 100).header, frame(written, 100).payload)) written++;
    expect(written).toBeGreaterThan(3);
    let seen = 0;
    consumer.read(0, (_s, f, start, length) => check(f.subarray(start, start + length), seen++));
    expect(seen).toBe(written);
    // Read but not yet given back: still full. Given back: room again.
    expect(producer.tryWrite(frame(written, 100).header, frame(written, 100).payload)).toBe(false);
    expect(consumer.release()).toBe(true);
    expect(consumer.release()).toBe(false);
    expect(producer.tryWrite(frame(written, 100).header, frame(written, 100).payload)).toBe(true);
  });
});
