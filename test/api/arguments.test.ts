import { describe, expect, it } from "vitest";
import { checkBuffer, checkRank, checkTag } from "../../src/api/arguments.ts";
import { ANY_SOURCE, ANY_TAG, PROC_NULL, TAG_UB } from "../../src/constants.ts";
import { MpiError } from "../../src/errors.ts";

const where = { rank: 2, size: 4 };
const error = (f: () => unknown): MpiError => {
  try {
    f();
  } catch (e) {
    if (e instanceof MpiError) return e;
  }
  throw new Error("no MpiError");
};

describe("argument checks", () => {
  it("accept members, and PROC_NULL or ANY_SOURCE only where the call allows them", () => {
    for (const r of [0, 3]) checkRank(where, r, "send", false);
    checkRank(where, PROC_NULL, "send", true);
    checkRank(where, ANY_SOURCE, "recv", true, true);
    const e = error(() => checkRank(where, 4, "send", true));
    expect(e.code).toBe("ERR_RANK");
    expect(e.message).toBe("ERR_RANK: rank 2, send: rank 4 is not in this communicator of size 4; use 0..3, PROC_NULL");
    expect(error(() => checkRank(where, ANY_SOURCE, "send", true)).code).toBe("ERR_RANK");
    expect(error(() => checkRank(where, 1.5, "send", false)).code).toBe("ERR_RANK");
  });

  it("accept tags 0..TAG_UB, and ANY_TAG only for receives", () => {
    checkTag(where, TAG_UB, "send", false);
    checkTag(where, ANY_TAG, "recv", true);
    expect(error(() => checkTag(where, ANY_TAG, "send", false)).message).toBe("ERR_TAG: rank 2, send: tag -1 is not valid; use 0..TAG_UB");
    expect(error(() => checkTag(where, TAG_UB + 1, "send", false)).code).toBe("ERR_TAG");
  });

  it("take the bytes of any buffer kind, and refuse anything else with the fix", () => {
    const f = new Float64Array(2);
    expect(checkBuffer(where, f, "recvInto").byteLength).toBe(16);
    expect(checkBuffer(where, new ArrayBuffer(3), "recvInto").byteLength).toBe(3);
    const u = new Uint8Array(5);
    expect(checkBuffer(where, u, "recvInto")).toBe(u);
    const e = error(() => checkBuffer(where, [1, 2], "recvInto"));
    expect(e.code).toBe("ERR_ARG");
    expect(e.message).toMatch(/rank 2, recvInto: expected a typed array.*got object; pass a buffer, or use recv\(\) for objects/);
  });
});
