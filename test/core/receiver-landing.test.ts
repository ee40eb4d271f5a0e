import { describe, expect, it } from "vitest";
import { Contexts } from "../../src/core/matching.ts";
import { finishRendezvous, landEager, prepareRendezvous } from "../../src/core/landing.ts";
import { PayloadKind } from "../../src/core/payload.ts";
import { newReceiveRequest, type ReceiveRequest } from "../../src/core/requests.ts";

const contexts = new Contexts<ReceiveRequest>();
const { ctx } = contexts.open(0, 100, 2);
const frame = Uint8Array.from({ length: 64 }, (_, i) => i);

describe("where a message lands", () => {
  it("eager bytes land in the caller's buffer, small or large", () => {
    for (const n of [8, 48]) {
      const into = new Uint8Array(n + 8);
      const req = newReceiveRequest(ctx, 1, 0, into, undefined);
      expect(landEager(3, req, PayloadKind.UINT8, frame, 10, n, false)).toBeUndefined();
      expect([...into.subarray(0, n)]).toEqual([...frame.subarray(10, 10 + n)]);
      expect(req.totalBytes).toBe(n);
    }
  });

  it("a message longer than the caller's buffer is ERR_TRUNCATE naming the rank, the sender and the fix", () => {
    const req = newReceiveRequest(ctx, 1, 0, new Uint8Array(4), undefined);
    req.matchedSource = 1;
    const e = landEager(3, req, PayloadKind.UINT8, frame, 0, 8, false)!;
    expect(e.code).toBe("ERR_TRUNCATE");
    expect(e.message).toMatch(/rank 3, recvInto: the message from rank 1 .* 8 bytes .* holds 4; pass a larger buffer/);
    expect(prepareRendezvous(3, req, PayloadKind.UINT8, 100)?.code).toBe("ERR_TRUNCATE");
  });

  it("a new value of the message's kind, or the lender's buffer; a size that is not whole elements is ERR_TRANSPORT", () => {
    const req = newReceiveRequest(ctx, 1, 0, undefined, undefined);
    expect(landEager(0, req, PayloadKind.FLOAT64, frame, 8, 16, false)).toBeUndefined();
    expect(req.value).toBeInstanceOf(Float64Array);
    expect((req.value as Float64Array).length).toBe(2);
    expect(landEager(0, req, PayloadKind.FLOAT64, frame, 0, 12, false)?.code).toBe("ERR_TRANSPORT");
    const lent = new Float64Array(2);
    const borrowed = newReceiveRequest(ctx, 1, 0, undefined, () => ({ value: lent, bytes: new Uint8Array(lent.buffer) }));
    landEager(0, borrowed, PayloadKind.FLOAT64, frame, 8, 16, false);
    expect(borrowed.value).toBe(lent);
    expect([...new Uint8Array(lent.buffer)]).toEqual([...frame.subarray(8, 24)]);
  });

  it("a rendezvous receive gets its landing place from the header alone, and its value when the bytes are in", () => {
    const req = newReceiveRequest(ctx, 1, 0, undefined, undefined);
    expect(prepareRendezvous(0, req, PayloadKind.INT32, 4096)).toBeUndefined();
    expect(req.bytes!.byteLength).toBe(4096);
    req.bytes!.fill(1);
    expect(finishRendezvous(0, req)).toBeUndefined();
    expect(req.value).toBeInstanceOf(Int32Array);
    expect((req.value as Int32Array)[1023]).toBe(0x01010101);
  });
});
