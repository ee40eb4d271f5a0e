import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineSplitter, SPLIT_MARKER } from "../../src/control/lines.ts";

/** Feed `text` cut at `cuts` (byte offsets) and collect the lines. */
function split(text: string, cuts: number[], maxLine?: number): string[] {
  const out: string[] = [];
  const s = new LineSplitter((l) => out.push(l), maxLine);
  const bytes = Buffer.from(text, "utf8");
  let at = 0;
  for (const c of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b)) {
    s.push(bytes.subarray(at, c));
    at = c;
  }
  s.push(bytes.subarray(at));
  s.end();
  return out;
}

/** Undo the splitting: a piece ending with the marker continues on the next line. */
function rejoin(lines: string[]): string[] {
  const out: string[] = [];
  let carry = "";
  for (const l of lines) {
    if (l.endsWith(SPLIT_MARKER)) carry += l.slice(0, -SPLIT_MARKER.length);
    else {
      out.push(carry + l);
      carry = "";
    }
  }
  return out;
}

describe("LineSplitter", () => {
  it("gives whole lines however the bytes are cut, multi-byte characters included, and the last line without a newline", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 30 }), { maxLength: 8 }), fc.array(fc.nat(400)), (lines, cuts) => {
        const clean = lines.map((l) => l.replace(/\n/g, ""));
        const text = clean.join("\n");
        // A newline ends a line: text ending with one has no empty line after it.
        const want = clean.at(-1) === "" ? clean.slice(0, -1) : clean;
        expect(split(text, cuts)).toEqual(want);
      }),
    );
  });

  it("splits a line longer than the limit into marked pieces that rejoin to the line", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 100 }), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(600)), fc.integer({ min: 1, max: 40 }), (lines, cuts, max) => {
        const clean = lines.map((l) => l.replace(/\n/g, ""));
        const text = `${clean.join("\n")}\n`;
        const got = split(text, cuts, max);
        for (const l of got) expect(l.replace(SPLIT_MARKER, "").length).toBeLessThanOrEqual(max);
        expect(rejoin(got)).toEqual(clean);
      }),
    );
  });

  it("hands on 64 MiB without a newline in 1 MiB pieces, nothing lost", () => {
    const out: string[] = [];
    const s = new LineSplitter((l) => out.push(l));
    const chunk = Buffer.alloc(1 << 16, "x");
    for (let i = 0; i < 1024; i++) s.push(chunk);
    s.end();
    expect(out.length).toBe(64);
    expect(out.slice(0, 63).every((l) => l.endsWith(SPLIT_MARKER))).toBe(true);
    expect(rejoin(out)[0]!.length).toBe(64 << 20);
  });
});
