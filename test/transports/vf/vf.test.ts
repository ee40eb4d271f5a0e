// The vf transport in one process: two ranks' transports over real loopback
// sockets, with the job's key-value store and secret as the launcher gives them.
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryKeyValueStore } from "../../../src/control/kvs.ts";
import type { Transport, TransportContext } from "../../../src/transport/contract.ts";
import { connectHandshake, Role } from "../../../transports/stream/auth.ts";
import { parseAddress } from "../../../transports/stream/options.ts";
import { encodeFrame, WireType } from "../../../transports/stream/wire.ts";
import openVf from "../../../transports/vf/index.ts";

interface Rank {
  t: Transport;
  got: { source: number; frame: number[] }[];
  lost: string[];
  writable: number;
}

const secret = randomBytes(32).toString("hex");
let opened: Transport[] = [];

async function ranks(size: number, settings: Record<string, string> = {}): Promise<{ kvs: MemoryKeyValueStore; r: Rank[] }> {
  const kvs = new MemoryKeyValueStore();
  const r: Rank[] = [];
  for (let rank = 0; rank < size; rank++) {
    const me: Rank = { t: undefined as unknown as Transport, got: [], lost: [], writable: 0 };
    const context: TransportContext = {
      rank,
      size,
      peers: [...Array(size).keys()].filter((p) => p !== rank),
      deliver: (source, frame) => me.got.push({ source, frame: [...frame] }),
      onPeerLost: (_, why) => me.lost.push(why),
      onWritable: () => me.writable++,
      options: { "job.secret": secret, "job.bind": "127.0.0.1" },
      settings,
      kvs,
    };
    me.t = await openVf(context);
    opened.push(me.t);
    r.push(me);
  }
  return { kvs, r };
}

const header = (n: number): Uint8Array => new Uint8Array(40).fill(n);
const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
};

afterEach(async () => {
  await Promise.all(opened.map((t) => t.close()));
  opened = [];
});

describe("vf", () => {
  it("answers simultaneous first sends with one connection per pair and keeps every frame in order", async () => {
    const { r } = await ranks(4);
    // Everyone sends to everyone at once: every pair connects from both ends simultaneously.
    for (let i = 0; i < 20; i++)
      for (const a of r) for (let p = 0; p < 4; p++) if (a.t !== r[p]!.t) expect(a.t.trySend(p, header(i), new Uint8Array([r.indexOf(a), i]))).toBe(true);
    await until(() => r.every((x) => x.got.length === 60));
    for (const [me, x] of r.entries()) {
      for (let p = 0; p < 4; p++) {
        if (p === me) continue;
        const seq = x.got.filter((g) => g.source === p).map((g) => g.frame[41]);
        expect(seq).toEqual([...Array(20).keys()]);
      }
      expect(x.lost).toEqual([]);
      expect(x.t.stats!().strangers).toBe(0);
    }
  });

  it("refuses frames beyond the in-flight bound, then calls onWritable when room frees up", async () => {
    const { r } = await ranks(2, { "vf.inflightBytes": "65536" });
    const big = new Uint8Array(200_000);
    let accepted = 0;
    while (r[0]!.t.trySend(1, header(1), big)) accepted++;
    // The first frame is always taken; the bound stops the rest while it is unsent.
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(r[0]!.t.stats!().noRoom).toBe(1);
    await until(() => r[0]!.writable > 0);
    expect(r[0]!.t.trySend(1, header(2), big)).toBe(true);
    await until(() => r[1]!.got.length === accepted + 1);
    expect(r[1]!.got.every((g) => g.frame.length === 40 + big.byteLength)).toBe(true);
  });

  it("reports a peer that closes in the middle of a frame as lost", async () => {
    const { kvs, r } = await ranks(2);
    // Pose as rank 1 (it knows the secret) and cut a frame short.
    const { host, port } = parseAddress(await kvs.get("vf.0"));
    const s = connect({ host, port });
    await new Promise((res) => s.once("connect", res));
    // Rank 1's own transport must not also connect: rank 0 sees only this one.
    await connectHandshake(s, secret, { role: Role.VF, a: 1, b: 0 });
    const f = encodeFrame(WireType.DATA, 1, 0, header(9), new Uint8Array(1000));
    s.write(f.subarray(0, 500));
    await new Promise((res) => setTimeout(res, 20));
    s.destroy();
    await until(() => r[0]!.lost.length > 0);
    expect(r[0]!.lost[0]).toMatch(/TRUNCATED: the stream ended inside a frame/);
    expect(r[0]!.got).toEqual([]);
  });

  it("does not count a close after goodbye as a loss", async () => {
    const { r } = await ranks(2);
    r[0]!.t.trySend(1, header(3), undefined);
    await until(() => r[1]!.got.length === 1);
    await r[0]!.t.close();
    await new Promise((res) => setTimeout(res, 50));
    expect(r[1]!.lost).toEqual([]);
  });
});
