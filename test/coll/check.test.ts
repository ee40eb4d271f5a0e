import { describe, expect, it } from "vitest";
import { collectiveMismatch, describeCall, describeTag, SEQUENCE_BITS, signature } from "../../src/coll/check.ts";
import { Op } from "../../src/coll/op.ts";

const BUILTINS = [Op.SUM, Op.PROD, Op.MIN, Op.MAX, Op.LAND, Op.LOR, Op.LXOR, Op.BAND, Op.BOR, Op.BXOR, Op.MINLOC, Op.MAXLOC];

describe("collective signatures", () => {
  it("gives every built-in op its own code, and user ops codes apart from them", () => {
    expect(new Set(BUILTINS.map((o) => o.code)).size).toBe(BUILTINS.length);
    const user = Op.create(function plus(a: number, b: number) {
      return a + b;
    });
    expect(user.code).toBeGreaterThanOrEqual(32);
    expect(BUILTINS.map((o) => o.code)).not.toContain(user.code);
  });

  it("folds kind, root and op into tags that stay non-negative and read back", () => {
    const tag = 5 | (signature("reduce", 3, Op.MAX) << SEQUENCE_BITS);
    expect(tag).toBeGreaterThanOrEqual(0);
    expect(tag).toBeLessThan(2 ** 30);
    expect(describeTag(tag, "x")).toBe("reduce(op=MAX,root=3) (collective call #5)");
    expect(describeTag(7, "the check of barrier")).toBe("the check of barrier (collective call #7)");
    expect(signature("bcast", 1)).not.toBe(signature("bcast", 0));
    expect(signature("allreduce", 0, Op.SUM)).not.toBe(signature("allreduce", 0, Op.MAX));
  });

  it("describes a call by what every member must give alike", () => {
    expect(describeCall("allreduce", { op: Op.SUM, value: new Float64Array(8) })).toBe("allreduce(op SUM, Float64Array:8)");
    expect(describeCall("bcast", { root: 2, algorithm: "linear" })).toBe("bcast(root 2, algorithm linear)");
    expect(describeCall("barrier")).toBe("barrier");
    expect(describeCall("allreduce", { op: null as unknown as Op, value: 1 })).toBe("allreduce(op null, number)");
  });
});

describe("telling a collective mismatch from a deadlock", () => {
  const at = (rank: number, call: string, n: number, rest = "") => `rank ${rank} is blocked in MPI, waiting on ${call} (collective call #${n}) on context 1, receiving from rank 0${rest}`;

  it("names ranks in different collectives, or the same call number with another root or op", () => {
    expect(collectiveMismatch([at(0, "barrier", 3), at(1, "allreduce(op=SUM)", 3)])).toMatch(/rank 0 waits in barrier \(call #3\) where rank 1 waits in allreduce\(op=SUM\) \(call #3\)/);
    expect(collectiveMismatch([at(0, "bcast(root=0)", 0), at(1, "bcast(root=0)", 0), at(2, "bcast(root=1)", 0)])).toMatch(/rank 2 waits in bcast\(root=1\)/);
    expect(collectiveMismatch([at(0, "commCreate", 1), at(1, "allgather", 0)])).toMatch(/call #1.*call #0/);
  });

  it("leaves a plain deadlock alone: all in one call, a rank outside collectives, or another communicator", () => {
    expect(collectiveMismatch([at(0, "barrier", 2), "rank 1 has returned from main (peers still waiting on it wait forever)"])).toBeUndefined();
    expect(collectiveMismatch([at(0, "barrier", 2), at(1, "barrier", 2)])).toBeUndefined();
    expect(collectiveMismatch([at(0, "barrier", 2), "rank 1 is blocked in MPI, waiting on recv(source 0, tag 7) on context 0"])).toBeUndefined();
    expect(collectiveMismatch([at(0, "barrier", 2), at(1, "barrier", 0).replace("context 1", "context 3")])).toBeUndefined();
  });
});
