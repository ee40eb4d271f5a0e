import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatProcessMapping, nodeOfRank, parseProcessMapping } from "../../src/bootstrap/process-mapping.ts";

describe("PMI_process_mapping", () => {
  it("repeats the pattern until every rank has a node (Hydra and Slurm, one node, three ranks)", () => {
    expect(nodeOfRank(parseProcessMapping("(vector,(0,1,1))"), 3)).toEqual([0, 0, 0]);
    expect(nodeOfRank(parseProcessMapping("(vector,(0,1,3))"), 3)).toEqual([0, 0, 0]);
  });

  it("reads block and cyclic layouts over several nodes", () => {
    expect(nodeOfRank(parseProcessMapping("(vector,(0,2,2))"), 4)).toEqual([0, 0, 1, 1]);
    expect(nodeOfRank(parseProcessMapping("(vector,(0,2,1))"), 5)).toEqual([0, 1, 0, 1, 0]);
    expect(nodeOfRank(parseProcessMapping("(vector, (0,1,2), (1,2,1))"), 4)).toEqual([0, 0, 1, 2]);
  });

  it("formats what it parses: node-per-rank survives a round trip", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }), (nodes) => {
        const text = formatProcessMapping(nodes);
        expect(nodeOfRank(parseProcessMapping(text), nodes.length)).toEqual(nodes);
      }),
    );
  });

  it("refuses what is not a vector of triples", () => {
    expect(() => parseProcessMapping("(vector)")).toThrow(/ERR_ARG.*empty/);
    expect(() => parseProcessMapping("(vector,(0,1))")).toThrow(/ERR_ARG.*triples/);
    expect(() => parseProcessMapping("(vector,(0,0,1))")).toThrow(/places nobody/);
  });
});
