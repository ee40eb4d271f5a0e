/**
 * Shared-memory collectives: the slot codec round-trips every kind of value
 * (property), and live in one VM the "sm" algorithms give exactly what the
 * point-to-point ones give (programs/shared-vs-p2p.ts: fast-check cases,
 * several communicators at once, back-to-back calls, values too big for a
 * slot, mismatches), with ranks outnumbering cores and not.
 */
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Channel } from "../../src/coll/channel.ts";
import { Bank, SLOTS } from "../../src/coll/shared/bank.ts";
import { fits, neededBytes, readExposed, readValue, writeExposed, writeValues } from "../../src/coll/shared/slots.ts";
import { launch } from "../../src/launcher/launch.ts";
import type { SharedSegment } from "../../src/transport/contract.ts";
import { plain } from "./helpers.ts";

function twoRankBank(bytes: number): Bank {
  const segment: SharedSegment = { ranks: [0, 1], buffer: new SharedArrayBuffer(bytes), notify: () => {}, waitSync: () => {} };
  const comm = { rank: 0, size: 2, members: Int32Array.of(0, 1), segment } as unknown as Channel;
  return new Bank(segment, 3, comm);
}

const anyValue = fc.oneof(
  fc.double({ noNaN: true }),
  fc.integer(),
  fc.string(),
  fc.constant(undefined),
  fc.constant(null),
  fc.array(fc.oneof(fc.integer(), fc.string(), fc.boolean()), { maxLength: 20 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 5 }),
  fc.array(fc.double({ noNaN: true }), { maxLength: 300 }).map((a) => Float64Array.from(a)),
  fc.array(fc.integer({ min: -128, max: 127 }), { maxLength: 300 }).map((a) => Int8Array.from(a)),
  fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 40 }).map((a) => BigInt64Array.from(a)),
  fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 300 }).map((a) => Uint16Array.from(a)),
);

/** Two ranks' bank over a fake single copy: addresses name views registered here. */
function exposingBank(): Bank {
  const exposed: Uint8Array[] = [];
  const segment: SharedSegment = {
    ranks: [0, 1],
    buffer: new SharedArrayBuffer(1 << 20),
    notify: () => {},
    waitSync: () => {},
    address: (view) => BigInt(exposed.push(view) - 1) << 40n,
    copyFrom: (address, into) => {
      const view = exposed[Number(address >> 40n)]!;
      const offset = Number(address & ((1n << 40n) - 1n));
      into.set(view.subarray(offset, offset + into.byteLength));
    },
  };
  const comm = { rank: 0, size: 2, members: Int32Array.of(0, 1), segment } as unknown as Channel;
  return new Bank(segment, 3, comm);
}

describe("a typed array too big for a slot is exposed in place", () => {
  it("is read back whole, of its own kind, by a copy out of the writer's memory", () => {
    const bank = exposingBank();
    fc.assert(
      fc.property(fc.constantFrom(Float64Array, Int32Array, Uint8Array, BigInt64Array), fc.integer({ min: 1, max: 5000 }), fc.nat(), (C, length, call) => {
        const value = C === BigInt64Array ? BigInt64Array.from({ length }, (_, i) => BigInt(i) - 7n) : new (C as Float64ArrayConstructor)(length).map((_, i) => (i * 7) % 100);
        const at = bank.slot(1, call);
        expect(writeExposed(bank, at, value)).toBe(true);
        expect(fits(bank, at)).toBe(false);
        const back = readExposed(bank, at) as typeof value;
        expect(back.constructor).toBe(C);
        expect(back).toEqual(value);
        expect(back.buffer).not.toBe(value.buffer);
      }),
    );
  });

  it("is not exposed when it is no typed array or the segment cannot copy between ranks", () => {
    const bank = exposingBank();
    expect(writeExposed(bank, bank.slot(0, 1), { big: true })).toBe(false);
    expect(writeExposed(bank, bank.slot(0, 1), new DataView(new ArrayBuffer(8)))).toBe(false);
    expect(writeExposed(twoRankBank(1 << 20), 0, new Float64Array(4))).toBe(false);
    const at = bank.slot(0, 2);
    writeValues(bank, at, [1]);
    expect(readExposed(bank, at)).toBeUndefined();
  });
});

describe("a slot holds any list of values", () => {
  it("writes and reads back every kind, in every slot, or says how much it needed", () => {
    const bank = twoRankBank(1 << 20);
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 12 }), fc.nat(), (values, call) => {
        const at = bank.slot(1, call);
        if (writeValues(bank, at, values)) {
          expect(values.map((_, i) => plain(readValue(bank, at, i)))).toEqual(values.map(plain));
          expect(neededBytes(bank, at)).toBeLessThanOrEqual(bank.slotBytes);
        } else {
          expect(fits(bank, at)).toBe(false);
          expect(neededBytes(bank, at)).toBeGreaterThan(bank.slotBytes);
        }
      }),
    );
  });

  it("marks a value larger than a slot TOO_BIG with the size it needs", () => {
    const bank = twoRankBank(1 << 20);
    const at = bank.slot(0, 5);
    expect(writeValues(bank, at, [new Float64Array(bank.slotBytes / 8)])).toBe(false);
    expect(fits(bank, at)).toBe(false);
    expect(neededBytes(bank, at)).toBeGreaterThan(bank.slotBytes);
    expect(writeValues(bank, at, [Float64Array.of(1, 2)])).toBe(true);
    expect(readValue(bank, at, 0)).toEqual(Float64Array.of(1, 2));
  });

  it("keeps slots of different calls and members apart", () => {
    const bank = twoRankBank(1 << 20);
    const places = new Set<number>();
    for (let r = 0; r < 2; r++) for (let call = 0; call < 64; call++) places.add(bank.slot(r, call));
    // SLOTS distinct slots per member, reused in turn.
    expect(places.size).toBe(2 * SLOTS);
    expect(bank.slot(1, 3)).toBe(bank.slot(1, 3 + SLOTS));
  });
});

const program = fileURLToPath(new URL("./programs/shared-vs-p2p.ts", import.meta.url));

async function live(np: number, seed: number, runs: number): Promise<void> {
  const lines: string[] = [];
  const r = await launch({ np, program, args: [String(seed), String(runs)], stdout: () => {}, stderr: (l) => lines.push(l) });
  expect(r.failure, lines.join("\n")).toBeUndefined();
  expect(r.ranks.every((x) => x.ok)).toBe(true);
}

describe("shared-memory collectives live in one VM match the point-to-point ones", () => {
  it("2 ranks", { timeout: 120_000 }, () => live(2, 11, 10));
  it("3 ranks", { timeout: 120_000 }, () => live(3, 12, 8));
  it("5 ranks (more ranks than cores)", { timeout: 180_000 }, () => live(5, 13, 5));
});
