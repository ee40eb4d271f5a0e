/** The fast profile scanner against the reference (JSON.parse + parseProfile + graphFromProfile): same graph, or it declines. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { graphFromProfile } from "../../../src/placement/mapper/graph.ts";
import { loadProfileGraph, scanProfileGraph } from "../../../src/placement/mapper/profile-scan.ts";
import { parseProfile } from "../../../src/placement/profile.ts";
import { problem } from "./arbitraries.ts";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const reference = (text: string) => graphFromProfile(parseProfile(JSON.parse(text)));

describe("scanning a profile file to its graph", () => {
  it("gives the reference's graph for every valid profile, however it is spaced and ordered", () => {
    fc.assert(
      fc.property(problem, fc.constantFrom(0, 1, 2), fc.boolean(), fc.integer({ min: 0, max: 2 ** 40 }), ({ profile }, indent, swap, big) => {
        if (profile.np > 1 && profile.messages[0]![1]! > 0) profile.bytes[0]![1] = big; // counts past 2^32
        const doc = swap ? { messages: profile.messages, np: profile.np, bytes: profile.bytes } : profile;
        const text = JSON.stringify(doc, null, indent);
        expect(scanProfileGraph(utf8(text))).toEqual(reference(text));
      }),
      { numRuns: 200 },
    );
  });

  it("reads numbers as JSON writes them (1e+21, fractions of bytes) and declines what JSON or a profile does not allow", () => {
    const ok = '{"np":2,"bytes":[[0,1e+21],[2.5,0]],"messages":[[0,3],[1,0]]}';
    expect(scanProfileGraph(utf8(ok))).toEqual(reference(ok));
    for (const bad of [
      '{"np":2,"bytes":[[0,-1],[0,0]],"messages":[[0,1],[0,0]]}', // negative
      '{"np":2,"bytes":[[0,5],[0,0]],"messages":[[0,0],[0,0]]}', // bytes in no message
      '{"np":2,"bytes":[[0,1],[0,0]],"messages":[[0,1.5],[0,0]]}', // half a message
      '{"np":2,"bytes":[[0,1,0],[0,0]],"messages":[[0,1],[0,0]]}', // a row too long
      '{"np":2,"bytes":[[0,1]],"messages":[[0,1]]}', // a row missing
      '{"np":2,"bytes":[[0,01],[0,0]],"messages":[[0,1],[0,0]]}', // not JSON
      '{"np":2,"bytes":[[0,0x1],[0,0]],"messages":[[0,1],[0,0]]}',
      '{"np":2,"bytes":[[0,null],[0,0]],"messages":[[0,1],[0,0]]}',
      '{"np":2,"bytes":[[0,1],[0,0]],"messages":[[0,1],[0,0]],"extra":1}', // another key: the general path decides
      '{"np":2,"bytes":[[0,1],[0,0]]}',
      '{"np":2,"bytes":[[0,1],[0,0]],"messages":[[0,1],[0,0]]} trailing',
    ])
      expect(scanProfileGraph(utf8(bad)), bad).toBeUndefined();
  });

  it("a file it declines still gets the general path's message naming the cell", () => {
    const dir = mkdtempSync(join(tmpdir(), "scan-"));
    const file = join(dir, "comm.json");
    writeFileSync(file, '{"np":2,"bytes":[[0,-1],[0,0]],"messages":[[0,1],[0,0]]}');
    expect(() => loadProfileGraph(file)).toThrow(/bytes\[0\]\[1\] is -1; counts are finite numbers >= 0/);
    writeFileSync(file, '{"np":2,"bytes":[[0,7],[0,0]],"messages":[[0,1],[0,0]]}');
    expect(loadProfileGraph(file).bytes).toEqual(new Float64Array([7, 7]));
  });
});
