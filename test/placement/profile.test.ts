import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MpiError } from "../../src/errors.ts";
import { emptyProfile, loadProfile, parseProfile, shareOfBytes } from "../../src/placement/profile.ts";

function fails(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MpiError);
    expect((e as MpiError).code).toBe("ERR_PLACEMENT");
    return (e as Error).message;
  }
  throw new Error("expected an MpiError");
}

describe("communication profile", () => {
  it("accepts any N×N matrices of counts and gives them back unchanged (property)", () => {
    const profile = fc.integer({ min: 1, max: 6 }).chain((np) =>
      fc.array(fc.array(fc.tuple(fc.nat(50), fc.nat(1 << 20)), { minLength: np, maxLength: np }), { minLength: np, maxLength: np }).map((cells) => ({
        np,
        messages: cells.map((row) => row.map(([m, b]) => (b > 0 && m === 0 ? 1 : m))),
        bytes: cells.map((row) => row.map(([, b]) => b)),
      })),
    );
    fc.assert(
      fc.property(profile, (p) => {
        expect(parseProfile(JSON.parse(JSON.stringify(p)))).toEqual(p);
      }),
    );
  });

  it("names the row and column of a bad cell, and the fix", () => {
    const p = emptyProfile(3);
    p.bytes[1]![2] = -5;
    expect(fails(() => parseProfile(p, "comm.json"))).toMatch(/comm\.json .*bytes\[1\]\[2\] is -5; counts are finite numbers >= 0/);
    const q = emptyProfile(3);
    q.messages[2]![0] = 1.5;
    expect(fails(() => parseProfile(q))).toMatch(/messages\[2\]\[0\] is 1\.5; a message count is a whole number/);
  });

  it("refuses rows or columns that do not match np", () => {
    const p = emptyProfile(3);
    p.bytes.pop();
    p.messages[0]!.push(0);
    const msg = fails(() => parseProfile(p));
    expect(msg).toMatch(/"bytes" has 2 rows but np is 3/);
    expect(msg).toMatch(/"messages" row 0 has 4 columns but np is 3/);
  });

  it("refuses bytes sent in no message", () => {
    const p = emptyProfile(2);
    p.bytes[0]![1] = 100;
    expect(fails(() => parseProfile(p))).toMatch(/rank 0 sent 100 bytes to rank 1 in 0 messages/);
  });

  it("refuses what is not a profile at all, naming the field", () => {
    expect(fails(() => parseProfile({ np: 0, bytes: [], messages: [] }))).toMatch(/np: .*tsmpi profile/);
    expect(fails(() => parseProfile({ np: 2, bytes: "x", messages: [] }))).toMatch(/bytes: /);
    expect(fails(() => parseProfile([1, 2]))).toMatch(/is not a profile/);
  });

  it("loads a file, and says what to do when it is missing or not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "profile-test-"));
    const good = join(dir, "good.json");
    const p = emptyProfile(2);
    p.messages[0]![1] = 3;
    p.bytes[0]![1] = 24;
    writeFileSync(good, JSON.stringify(p));
    expect(loadProfile(good)).toEqual(p);
    expect(fails(() => loadProfile(join(dir, "none.json")))).toMatch(/cannot read the communication profile .*none\.json.*tsmpi profile --out/);
    writeFileSync(join(dir, "bad.json"), "{ np: ");
    expect(fails(() => loadProfile(join(dir, "bad.json")))).toMatch(/bad\.json is not JSON/);
  });

  it("shareOfBytes counts the bytes of pairs a predicate keeps together", () => {
    const p = emptyProfile(3);
    p.messages[0]![1] = p.messages[1]![2] = 1;
    p.bytes[0]![1] = 30;
    p.bytes[1]![2] = 10;
    expect(shareOfBytes(p, (a, b) => a + b === 1)).toBe(0.75);
    expect(shareOfBytes(emptyProfile(4), () => true)).toBe(0);
  });
});
