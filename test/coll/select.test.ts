/**
 * Algorithm selection: call-site option over job setting over user rules
 * file over built-in rules; first match on comm size, message size, VMs and
 * commutativity; bad names and files are argument errors.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Op } from "../../src/coll/op.ts";
import { ALGORITHMS, type Collective, choose, dependsOnSize, forced, fromRules } from "../../src/coll/select.ts";
import { codeOf, onRanks } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "tsmpi-rules-"));
function rulesFile(content: unknown): string {
  const p = join(dir, `rules-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
}

/** Runs `f` with a world of `np` ranks and the given settings; returns rank 0's value. */
async function withWorld<T>(np: number, settings: Record<string, string>, f: (w: Parameters<Parameters<typeof onRanks>[1]>[0]) => Promise<T>): Promise<T> {
  return (await onRanks(np, f, { settings }))[0]!;
}

describe("built-in rules", () => {
  it("pick by communicator size, message size and commutativity", async () => {
    const picks = await withWorld(1, {}, async (w) => {
      // Point-to-point choices: the rules read without the shared-memory algorithm (as its fallbacks do).
      const f = (collective: "allreduce" | "bcast" | "barrier" | "alltoall" | "allgather", commSize: number, bytes: number, commutative = true, vms = 1) =>
        fromRules(w, collective, { commSize, bytes, commutative, vms }, true);
      const withShared = (collective: Collective, commSize: number, bytes: number, vms: number) =>
        fromRules(w, collective, { commSize, bytes, commutative: true, vms });
      const collectives = ["barrier", "bcast", "reduce", "allreduce", "gather", "scatter", "allgather", "alltoall"] as const;
      return {
        oneVm: collectives.flatMap((c) => [2, 4, 32].flatMap((n) => [0, 8, 1 << 20].map((b) => withShared(c, n, b, 1)))),
        severalVms: collectives.map((c) => withShared(c, 4, 8, 2)),
        oneRank: withShared("allreduce", 1, 8, 1),
        scanOneVm: withShared("scan", 4, 8, 1),
        smallFew: f("allreduce", 4, 8),
        smallMany: f("allreduce", 16, 8),
        largeMany: f("allreduce", 16, 1 << 20),
        largeFew: f("allreduce", 8, 1 << 20),
        mediumFour: f("allreduce", 4, 32768),
        largeTwo: f("allreduce", 2, 1 << 20),
        mediumTwo: f("allreduce", 2, 65536),
        largeTwoNonCommutative: f("allreduce", 2, 1 << 20, false),
        largeNonCommutative: f("allreduce", 16, 1 << 20, false),
        multiVm: f("allreduce", 8, 8, true, 2),
        bcastSmall: f("bcast", 8, 8),
        bcastLarge: f("bcast", 8, 1 << 20),
        barrierFew: f("barrier", 4, 0),
        barrierMany: f("barrier", 32, 0),
        alltoallMany: f("alltoall", 32, 8),
        allgatherMany: f("allgather", 32, 8),
      };
    });
    expect(picks).toEqual({
      // On one VM the shared-memory collectives, for every size (too big values fall back inside); never across VMs.
      oneVm: Array.from({ length: 8 * 9 }, () => "sm"),
      severalVms: ["hierarchical", "hierarchical", "binomial", "hierarchical", "linear", "linear", "linear", "linear"],
      oneRank: "recursive_doubling",
      scanOneVm: "recursive_doubling",
      smallFew: "linear",
      smallMany: "recursive_doubling",
      largeMany: "ring",
      largeFew: "rabenseifner",
      mediumFour: "linear",
      largeTwo: "rabenseifner",
      mediumTwo: "recursive_doubling",
      largeTwoNonCommutative: "recursive_doubling",
      largeNonCommutative: "recursive_doubling",
      multiVm: "hierarchical",
      bcastSmall: "binomial",
      bcastLarge: "scatter_allgather",
      barrierFew: "linear",
      barrierMany: "dissemination",
      alltoallMany: "pairwise",
      allgatherMany: "bruck",
    });
  });

  it("know which collectives choose by message size (those need agreed sizes)", async () => {
    const d = await withWorld(4, {}, async (w) => [
      dependsOnSize(w, "allreduce", true, true),
      dependsOnSize(w, "reduce", true, true),
      dependsOnSize(w, "scan", false, true),
      // With "sm" first for every size on one VM, nothing depends on size there.
      dependsOnSize(w, "allreduce", true),
    ]);
    expect(d).toEqual([true, false, false, false]);
  });
});

describe("overrides", () => {
  it("a call-site option beats the job setting, which beats the rules", async () => {
    const got = await withWorld(3, { "coll.allreduce": "ring" }, async (w) => [
      forced(w, "allreduce", undefined),
      forced(w, "allreduce", { algorithm: "rabenseifner" }),
      choose(w, "allreduce", undefined, 8, true),
      choose(w, "bcast", undefined, 8, true),
    ]);
    expect(got).toEqual(["ring", "rabenseifner", "ring", "sm"]);
  });

  it("every algorithm is reachable through the job setting and gives the same answer", async () => {
    for (const a of ALGORITHMS.allreduce) {
      const out = await onRanks(
        5,
        async (w) => [
          ...(await w.allreduce(
            Int32Array.from({ length: 10 }, (_, i) => i + w.rank),
            Op.SUM,
          )),
        ],
        {
          settings: { "coll.allreduce": a },
        },
      );
      for (const o of out) expect(o, a).toEqual(Array.from({ length: 10 }, (_, i) => 5 * i + 10));
    }
  });

  it("an unknown algorithm in a setting is ERR_ARG on every rank", async () => {
    const out = await onRanks(3, async (w) => [await codeOf(w.barrier()), await codeOf(w.allgather(1, { algorithm: "nope" }))], {
      settings: { "coll.barrier": "teleport" },
    });
    for (const o of out) expect(o).toEqual(["ERR_ARG", "ERR_ARG"]);
  });
});

describe("user rules files", () => {
  it("take precedence over the built-in rules, first match wins, unmatched falls through", async () => {
    const path = rulesFile({
      allreduce: [
        { commSize: [1, 2], algorithm: "reduce_bcast" },
        { bytes: [0, 100], commutative: false, algorithm: "linear" },
        { bytes: [0, 100], algorithm: "rabenseifner" },
      ],
      bcast: [{ commSize: [4, null], algorithm: "linear" }],
    });
    const got = await withWorld(4, { "coll.rules": path }, async (w) => [
      fromRules(w, "allreduce", { commSize: 2, bytes: 8, commutative: true, vms: 1 }),
      fromRules(w, "allreduce", { commSize: 4, bytes: 8, commutative: false, vms: 1 }),
      fromRules(w, "allreduce", { commSize: 4, bytes: 8, commutative: true, vms: 1 }),
      fromRules(w, "allreduce", { commSize: 16, bytes: 1 << 20, commutative: true, vms: 1 }),
      fromRules(w, "bcast", { commSize: 4, bytes: 8, commutative: true, vms: 1 }),
      fromRules(w, "barrier", { commSize: 4, bytes: 0, commutative: true, vms: 1 }),
    ]);
    // Unmatched ones fall through to the built-in rules: "sm" on one VM.
    expect(got).toEqual(["reduce_bcast", "linear", "rabenseifner", "sm", "linear", "sm"]);
  });

  it("still give correct results, including mismatch errors, when they choose by size", async () => {
    // Tiny values: Rabenseifner; larger: ring; so sizes must be agreed before choosing.
    const path = rulesFile({ allreduce: [{ bytes: [0, 64], algorithm: "rabenseifner" }, { algorithm: "ring" }] });
    const out = await onRanks(
      5,
      async (w) => [
        [...(await w.allreduce(Float64Array.of(w.rank, 2, 3, 4, 5), Op.SUM))],
        [...(await w.allreduce(new Float64Array(100).fill(1), Op.SUM))].slice(0, 2),
        await codeOf(w.allreduce(new Float64Array(w.rank === 3 ? 4 : 100), Op.SUM)),
      ],
      { settings: { "coll.rules": path } },
    );
    for (const o of out) expect(o).toEqual([[10, 10, 15, 20, 25], [5, 5], "ERR_COLL_MISMATCH"]);
  });

  it("a missing, malformed or wrong rules file is ERR_ARG", async () => {
    for (const path of [join(dir, "missing.json"), rulesFile("{ not json"), rulesFile({ allreduce: [{ algorithm: "magic" }] }), rulesFile({ nonsense: [] })]) {
      const out = await onRanks(2, async (w) => codeOf(w.allreduce(1, Op.SUM)), { settings: { "coll.rules": path } });
      expect(out).toEqual(["ERR_ARG", "ERR_ARG"]);
    }
  });
});
