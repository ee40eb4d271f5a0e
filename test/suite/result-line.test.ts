import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lastResult, parseResultLine } from "../../bench/suite/result-line.ts";

const recorded = readFileSync(new URL("fixtures/ep-S-np2.out", import.meta.url), "utf8").split("\n");

describe("RESULT line parsing", () => {
  it("reads rank 0's verdict from a recorded EP run (tagged output)", () => {
    const r = lastResult(recorded);
    expect(r).toBeDefined();
    expect(r!.kernel).toBe("EP");
    expect(r!.class).toBe("S");
    expect(r!.np).toBe(2);
    expect(r!.verified).toBe(true);
    expect(r!.time).toBeCloseTo(5.326084033, 9);
    expect(r!.values.sx).toBe(-3247.8346520344767);
    expect(r!.values.sy).toBe(-6958.407078382569);
  });

  it("takes the last RESULT line, and only rank 0's when lines are tagged", () => {
    const first = 'RESULT {"kernel":"CG","class":"S","np":4,"time":1,"mops":2,"verified":true,"values":{"zeta":8.5}}';
    const second = 'RESULT {"kernel":"CG","class":"S","np":4,"time":3,"mops":4,"verified":false,"values":{"zeta":1}}';
    expect(lastResult([first, "noise", second, "more noise"])!.time).toBe(3);
    expect(lastResult([`[0] ${first}`, `[1] ${second}`])!.time).toBe(1);
  });

  it("rejects lines that are not a complete result", () => {
    expect(parseResultLine("RESULT {not json")).toBeUndefined();
    expect(parseResultLine('RESULT {"kernel":"EP"}')).toBeUndefined();
    expect(parseResultLine('RESULT {"kernel":"EP","class":"S","np":"4","time":1,"mops":1,"verified":true}')).toBeUndefined();
    expect(parseResultLine(" Verification    =               SUCCESSFUL")).toBeUndefined();
    expect(lastResult(["nothing", "here"])).toBeUndefined();
  });

  it("round-trips any result the kernels could print", () => {
    const result = fc.record({
      kernel: fc.constantFrom("EP", "IS", "CG", "MG", "FT"),
      class: fc.constantFrom("S", "W", "A", "B"),
      np: fc.integer({ min: 1, max: 64 }),
      time: fc.double({ min: 0, max: 1e4, noNaN: true }),
      mops: fc.double({ min: 0, max: 1e6, noNaN: true }),
      verified: fc.boolean(),
      values: fc.dictionary(fc.constantFrom("sx", "sy", "zeta", "rnm2"), fc.double({ noNaN: true, noDefaultInfinity: true })),
    });
    fc.assert(
      fc.property(result, fc.option(fc.nat({ max: 3 }), { nil: undefined }), (r, tag) => {
        const line = `${tag === undefined ? "" : `[${tag}] `}RESULT ${JSON.stringify(r)}`;
        expect(parseResultLine(line)).toEqual(JSON.parse(JSON.stringify(r)));
      }),
    );
  });
});
