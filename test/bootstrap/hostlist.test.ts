import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compressHostlist, expandHostlist } from "../../src/bootstrap/hostlist.ts";

describe("Slurm host lists", () => {
  it("expand ranges and single numbers, keeping zero padding", () => {
    expect(expandHostlist("node[01-03,7]")).toEqual(["node01", "node02", "node03", "node7"]);
    expect(expandHostlist("n[08-10]")).toEqual(["n08", "n09", "n10"]);
    expect(expandHostlist("vm")).toEqual(["vm"]);
  });

  it("split on top-level commas only, and multiply several bracket groups out", () => {
    expect(expandHostlist("login,node[1-2],gpu[3-4]-ib")).toEqual(["login", "node1", "node2", "gpu3-ib", "gpu4-ib"]);
    expect(expandHostlist("r[1-2]n[1-2]")).toEqual(["r1n1", "r1n2", "r2n1", "r2n2"]);
  });

  it("compress what expand reads back to the same names", () => {
    const host = fc.tuple(fc.constantFrom("node", "gpu", "n-", "login"), fc.option(fc.integer({ min: 0, max: 120 })), fc.integer({ min: 1, max: 3 }));
    fc.assert(
      fc.property(fc.array(host, { minLength: 1, maxLength: 30 }), (specs) => {
        const names = specs.map(([p, n, w]) => (n === null ? p : p + String(n).padStart(w, "0")));
        expect(expandHostlist(compressHostlist(names))).toEqual(names);
      }),
    );
    expect(compressHostlist(["node01", "node02", "node03", "node07", "login"])).toBe("node[01-03,07],login");
  });

  it("refuses broken brackets and backwards ranges", () => {
    expect(() => expandHostlist("node[1-3")).toThrow(/ERR_ARG.*not closed/);
    expect(() => expandHostlist("node[3-1]")).toThrow(/backwards/);
    expect(() => expandHostlist("node[a]")).toThrow(/not a number/);
  });
});
