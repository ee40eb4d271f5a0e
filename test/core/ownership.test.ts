// A frame handed to the core is valid only during the call: whatever the core
// keeps (unexpected eager payloads, early or out-of-turn frames) must be its
// own copy — also when the transport hands over Node Buffers, whose slice()
// is a view, not a copy.
import { describe, expect, it } from "vitest";
import { Comm } from "../../src/api/comm.ts";
import { ResolvedPlacement } from "../../src/placement/resolved.ts";
import { HEADER_BYTES } from "../../src/core/frames.ts";
import { RankCore } from "../../src/core/rank-core.ts";
import type { Transport } from "../../src/transport/contract.ts";

/** Delivers every frame as a Buffer view into one reused buffer, then scribbles over it. */
class Scribbling implements Transport {
  readonly name = "scribbling";
  readonly limits = { eagerLimit: 1024, maxFrameBytes: 4096 + 64, fragmentBytes: 4096 };
  readonly capabilities = { progress: "event" } as const;
  readonly frames: Uint8Array[] = [];
  private readonly scratch = Buffer.alloc(8192);
  trySend(_peer: number, header: Uint8Array, payload: Uint8Array | undefined): boolean {
    const f = new Uint8Array(header.byteLength + (payload?.byteLength ?? 0));
    f.set(header);
    if (payload) f.set(payload, header.byteLength);
    this.frames.push(f);
    return true;
  }
  deliverTo(core: RankCore, from: number, order: number[]): void {
    const frames = this.frames.splice(0);
    for (const i of order.length ? order : frames.map((_, k) => k)) {
      const f = frames[i]!;
      this.scratch.set(f);
      core.deliver(from, this.scratch.subarray(0, f.byteLength));
      this.scratch.fill(0xee);
    }
  }
  async close(): Promise<void> {}
}

describe("frame ownership", () => {
  it("keeps its own copies of unexpected, out-of-turn and early frames", async () => {
    const t = new Scribbling();
    const services = {
      placement: ResolvedPlacement.singleVm(2, "scribbling"),
      settings: {},
      abort: (): never => {
        throw new Error("abort");
      },
    };
    const a = new RankCore({ rank: 0, size: 2, transports: [undefined, t], spinMicroseconds: 0 });
    const tb = new Scribbling();
    const b = new RankCore({ rank: 1, size: 2, transports: [tb, undefined], spinMicroseconds: 0 });
    const wa = new Comm(a, 0, Int32Array.of(0, 1), services);
    const wb = new Comm(b, 0, Int32Array.of(0, 1), services);
    for (let i = 0; i < 3; i++) void wa.isend(Int32Array.of(i, i, i), 1, 4);
    expect(t.frames.every((f) => f.byteLength === HEADER_BYTES + 12)).toBe(true);
    t.deliverTo(b, 0, [2, 0, 1]); // out of turn: 2 is held until 0 and 1 arrive
    for (let i = 0; i < 3; i++) expect((await wb.recv<Int32Array>(0, 4)).data).toEqual(Int32Array.of(i, i, i));
    // A frame for a communicator rank 1 has not created yet is kept until it does.
    const da = await dupPair(wa, wb, t, tb, b, a);
    void da[0].isend(Float64Array.of(7), 1, 9);
    t.deliverTo(b, 0, []);
    const db = await da[1];
    expect((await db.recv<Float64Array>(0, 9)).data).toEqual(Float64Array.of(7));
  });
});

/** Rank 0 finishes dup first; rank 1's dup completes only after the early frame arrived. */
async function dupPair(wa: Comm, wb: Comm, t: Scribbling, tb: Scribbling, b: RankCore, a: RankCore): Promise<[Comm, Promise<Comm>]> {
  const pa = wa.dup();
  const pb = wb.dup();
  let da: Comm | undefined;
  void pa.then((c) => (da = c));
  for (let i = 0; i < 20 && !da; i++) {
    t.deliverTo(b, 0, []);
    tb.deliverTo(a, 1, []);
    await new Promise((r) => setImmediate(r));
  }
  return [da!, pb];
}
