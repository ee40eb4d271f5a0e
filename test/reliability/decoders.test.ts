// Every decoder that reads bytes a stranger (or a corrupted peer) can send, fed 10^5 random or
// mutated inputs: each input is decoded or refused with a typed outcome (an
// MpiError, or for the NIC's hot path a named reject reason), never a crash,
// a foreign exception or a hang. The socket transports' stream decoder has its
// own 10^5-input fuzz in test/transports/stream/wire.test.ts, and the whole
// SLURPoE NIC in test/transports/slurpoe/fuzz.test.ts.
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { Contexts } from "../../src/core/matching.ts";
import { PayloadKind, payloadBytes } from "../../src/core/payload.ts";
import { landEager, prepareRendezvous } from "../../src/core/landing.ts";
import { newReceiveRequest, type ReceiveRequest } from "../../src/core/requests.ts";
import { MpiError } from "../../src/errors.ts";
import { decodeHeader, emptyHeader, encodeFrame, Opcode } from "../../transports/slurpoe/codec.ts";
import { REJECT_REASONS } from "../../transports/slurpoe/counters.ts";
import { seededRandom } from "../../transports/slurpoe/wire.ts";
import { AuthError, acceptHandshake, connectHandshake, Role } from "../../transports/stream/auth.ts";

const N = Number(process.env.FUZZ_FRAMES ?? 100_000);
const random = seededRandom(99);
const int = (n: number): number => Math.floor(random() * n);

function noise(max: number): Uint8Array {
  const b = new Uint8Array(int(max + 1));
  for (let i = 0; i < b.length; i++) b[i] = int(256);
  return b;
}

/** A valid frame with a few bytes changed, cut short or padded. */
function mutate(f: Uint8Array): Uint8Array {
  const g = f.slice();
  for (let k = 1 + int(3); k > 0; k--) g[int(g.length)] = int(256);
  const r = random();
  if (r < 0.2) return g.subarray(0, int(g.length));
  if (r < 0.3) {
    const h = new Uint8Array(g.length + 1 + int(8));
    h.set(g);
    return h;
  }
  return g;
}

/** Just enough of a socket for the handshake: it writes nowhere and is fed by the test. */
class FakeSocket extends EventEmitter {
  written = 0;
  write(b: Uint8Array): boolean {
    this.written += b.byteLength;
    return true;
  }
  pause(): this {
    return this;
  }
}

describe("decoders under fuzzing", () => {
  it(`the SLURPoE header codec names a reason for every one of ${N} bad frames and never throws`, () => {
    const reasons = new Set<string>(REJECT_REASONS);
    const seen = new Map<string, number>();
    const out = emptyHeader();
    const good = encodeFrame({ ...emptyHeader(), opcode: Opcode.SEND, flags: 3, a: 100 }, new Uint8Array(100));
    for (let i = 0; i < N; i++) {
      const input = i % 2 === 0 ? noise(120) : mutate(good);
      const r = decodeHeader(input, out) ?? "accepted";
      if (r !== "accepted") expect(reasons.has(r), r).toBe(true);
      seen.set(r, (seen.get(r) ?? 0) + 1);
    }
    for (const r of ["short", "magic", "version", "opcode", "flags", "length", "accepted"]) expect(seen.get(r) ?? 0, r).toBeGreaterThan(0);
  });

  it(`the connection handshake refuses ${N} random or truncated greetings and answers with an AuthError each`, { timeout: 120_000 }, async () => {
    const secret = randomBytes(32).toString("hex");
    let refused = 0;
    const kinds = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const socket = new FakeSocket();
      const s = socket as unknown as Socket;
      const side = i % 2 === 0 ? acceptHandshake(s, secret, () => 1, 60_000) : connectHandshake(s, secret, { role: Role.VF, a: 0, b: 1 }, 60_000);
      // Random bytes, sometimes a real greeting's prefix followed by noise; then the stranger hangs up, in the same
      // breath (its 'end' before the handshake's next read: that read once waited for the timeout).
      const bytes = i % 4 === 1 ? Buffer.concat([Buffer.from("TSMPIAUT"), noise(120)]) : Buffer.from(noise(160));
      const cut = int(bytes.length + 1);
      socket.emit("data", bytes.subarray(0, cut));
      if (cut < bytes.length) socket.emit("data", bytes.subarray(cut));
      socket.emit("end");
      try {
        await side;
      } catch (e) {
        if (!(e instanceof AuthError) || !(e instanceof MpiError) || e.code !== "ERR_TRANSPORT") throw new Error(`input ${i}: ${String(e)} is not a typed AuthError`);
        refused++;
        const kind = e.message.replace(/^ERR_TRANSPORT: /, "").split(" ").slice(0, 3).join(" ");
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    }
    expect(refused).toBe(N);
    // Both the MAC check and the "hung up mid-handshake" path were reached, and the bad greeting on the connector side.
    expect([...kinds.keys()].sort()).toEqual(expect.arrayContaining(["closed the connection", "the listener is", "wrong job secret"]));
  });

  it(`the core's payload decoder lands or refuses each of ${N} random or mutated payloads with a typed error`, () => {
    const { ctx } = new Contexts<ReceiveRequest>().open(0, 100, 2);
    const good = payloadBytes(PayloadKind.OBJECT, { a: [1, 2, 3], b: "text", c: new Map([[1, new Float64Array(4)]]) });
    const outcomes = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const bytes = i % 2 === 0 ? noise(64) : mutate(good);
      const kind = i % 7 === 0 ? int(16) : PayloadKind.OBJECT;
      const req = newReceiveRequest(ctx, 1, 0, undefined, undefined);
      let e: MpiError | undefined;
      try {
        e = landEager(0, req, kind, bytes, 0, bytes.byteLength, false);
      } catch (x) {
        throw new Error(`payload ${i} (kind ${kind}) raised ${String(x)} instead of returning a typed error`);
      }
      const key = e ? e.code : "landed";
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    expect(outcomes.get("landed") ?? 0).toBeGreaterThan(0);
    expect(outcomes.get("ERR_PAYLOAD") ?? 0).toBeGreaterThan(0);
    expect([...outcomes.keys()].every((k) => ["landed", "ERR_PAYLOAD", "ERR_TRANSPORT"].includes(k))).toBe(true);
  });

  it("refuses a rendezvous header that names an impossible size or kind before allocating anything", () => {
    const { ctx } = new Contexts<ReceiveRequest>().open(0, 100, 2);
    for (const [kind, total] of [
      [PayloadKind.UINT8, 2 ** 40],
      [PayloadKind.FLOAT64, Number.NaN],
      [99, 16],
    ]) {
      const req = newReceiveRequest(ctx, 1, 0, undefined, undefined);
      const e = prepareRendezvous(0, req, kind!, total!);
      expect(e?.code, `kind ${kind}, ${total} bytes`).toMatch(/ERR_PAYLOAD|ERR_TRANSPORT/);
      expect(req.bytes).toBeUndefined();
    }
  });
});
