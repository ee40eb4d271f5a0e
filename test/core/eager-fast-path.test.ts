// The eager fast paths (a send the ring takes at once returns one shared
// completed request; a blocking receive that completes while spinning needs no
// Request and its core request is reused by the next receive) must give every
// receive the message MPI's rules give it, whatever order sends, blocking
// receives and non-blocking receives come in. Checked against a sequential
// reference of MPI matching for one sender, over real shm rings.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shmPair } from "../../bench/micro/eager.ts";
import { Comm } from "../../src/api/comm.ts";
import { ANY_TAG } from "../../src/constants.ts";
import { At, FLAG_EXPOSED, FrameType, HEADER_BYTES, stampHeader } from "../../src/core/frames.ts";
import { SENT_REQUEST } from "../../src/core/request.ts";
import type { Request } from "../../src/core/request.ts";
import { singleCopy } from "../../transports/shm/single-copy.ts";

type Op = { kind: "send" | "isend"; tag: number } | { kind: "recvInto" | "recv" | "irecvInto"; tag: number };

/** Which message (by send index) each receive gets under MPI's rules, and whether it was sent before the receive was posted. */
function reference(ops: readonly Op[]): { message: number[]; ready: boolean[] } {
  const unexpected: { index: number; tag: number }[] = [];
  const posted: { receive: number; tag: number }[] = [];
  const message: number[] = [];
  const ready: boolean[] = [];
  let sends = 0;
  let receives = 0;
  const takes = (want: number, tag: number): boolean => want === ANY_TAG || want === tag;
  for (const op of ops) {
    if (op.kind === "send" || op.kind === "isend") {
      const index = sends++;
      const p = posted.findIndex((r) => takes(r.tag, op.tag));
      if (p >= 0) message[posted.splice(p, 1)[0]!.receive] = index;
      else unexpected.push({ index, tag: op.tag });
    } else {
      const receive = receives++;
      const u = unexpected.findIndex((m) => takes(op.tag, m.tag));
      ready[receive] = u >= 0;
      if (u >= 0) message[receive] = unexpected.splice(u, 1)[0]!.index;
      else posted.push({ receive, tag: op.tag });
    }
  }
  return { message, ready };
}

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom("send", "isend", "recvInto", "recv", "irecvInto"),
  tag: fc.constantFrom(1, 2, ANY_TAG),
}) as fc.Arbitrary<Op>;

describe("eager fast paths over shm", () => {
  it("every receive gets the message MPI's matching gives it, in any order of sends and receives", async () => {
    const [a, b] = await shmPair();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 60 }), async (raw) => {
        // Sends carry a concrete tag; receives may take ANY_TAG. At most 24 sends
        // a run: within the eager credits a sender surely holds (one thread
        // runs both ranks, so a send must never wait for the receiver).
        let count = 0;
        const ops = raw
          .filter((o) => !(o.kind === "send" || o.kind === "isend") || ++count <= 24)
          .map((o) => ((o.kind === "send" || o.kind === "isend") && o.tag === ANY_TAG ? { ...o, tag: 1 } : o));
        const { message, ready } = reference(ops);
        // Rank a only sends, so it would never read the credits b returns: a probe polls for them.
        a.iprobe(1, 99);
        const got: Promise<number>[] = [];
        const sends: Request<void>[] = [];
        let sent = 0;
        for (const o of ops) {
          if (o.kind === "send" || o.kind === "isend") {
            const payload = Uint8Array.of(sent++, o.tag);
            if (o.kind === "send") await a.send(payload, 1, o.tag);
            else sends.push(a.isend(payload, 1, o.tag));
            continue;
          }
          const r = got.length;
          const into = new Uint8Array(8);
          // A blocking receive only when its message is already on its way (one thread runs both ranks).
          const kind = ready[r] ? o.kind : "irecvInto";
          if (kind === "recv") got.push(Promise.resolve((await b.recv<Uint8Array>(0, o.tag)).data[0]!));
          else if (kind === "recvInto") {
            const s = await b.recvInto(into, 0, o.tag);
            expect(s.bytes).toBe(2);
            got.push(Promise.resolve(into[0]!));
          } else
            got.push(
              b.irecvInto(into, 0, o.tag).then((s) => {
                expect(s.bytes).toBe(2);
                return into[0]!;
              }),
            );
        }
        const values = await Promise.all(got.map((p, i) => (message[i] === undefined ? Promise.resolve(-1) : p)));
        expect(values).toEqual(got.map((_, i) => message[i] ?? -1));
        await Promise.all(sends);
        // Messages no receive took: drain them so the next run starts clean.
        for (let left = sent - message.filter((m) => m !== undefined).length; left > 0; left--) await b.recv(0, ANY_TAG);
        // Receives no message matched: satisfy them, each with a message of its tag.
        let r = 0;
        for (const o of ops) {
          if (o.kind === "send" || o.kind === "isend") continue;
          if (message[r++] === undefined) await a.send(Uint8Array.of(255, 1), 1, o.tag === ANY_TAG ? 1 : o.tag);
        }
        await b.iprobe(0, 99);
      }),
      { numRuns: 60 },
    );
    a.core.close();
    b.core.close();
  }, 60_000);

  it("a window of receives posted after its messages arrived gets them in order, any already read as unexpected first", async () => {
    const [a, b] = await shmPair();
    for (const readFirst of [0, 5, 64]) {
      // The first `readFirst` are read into the unexpected queue (a probe polls), the rest stay in the ring.
      for (let i = 0; i < readFirst; i++) a.isend(Float64Array.of(i), 1, 1);
      if (readFirst > 0) expect(b.iprobe(0, 1)).toBeDefined();
      expect(b.p2p.unexpectedInOrder().length).toBe(readFirst);
      for (let i = readFirst; i < 64; i++) a.isend(Float64Array.of(i), 1, 1);
      const into = Array.from({ length: 64 }, () => new Float64Array(1));
      const reqs = into.map((buf) => b.irecvInto(buf, 0, 1));
      // Posting reads nothing from the ring: what is still there meets its posted receive when waited for.
      expect(b.p2p.unexpectedInOrder().length).toBe(0);
      expect(b.p2p.postedInOrder().length).toBe(64 - readFirst);
      const statuses = await b.waitall(reqs);
      expect(into.map((buf) => buf[0])).toEqual(Array.from({ length: 64 }, (_, i) => i));
      expect(statuses.every((s) => s.source === 0 && s.tag === 1 && s.bytes === 8)).toBe(true);
      // Give the credits back to a before the next round.
      await b.send(Uint8Array.of(0), 0, 2);
      await a.recv(1, 2);
    }
    a.core.close();
    b.core.close();
  });

  it("frames that arrive before their communicator exists keep their fields: an exposed handle whole, credits counted once", async () => {
    // The native single-copy helper must be built (npm install): the large send is then exposed, not streamed.
    expect(singleCopy).toBeDefined();
    const [a, b] = await shmPair();
    // a opens a communicator b has not opened yet: its frames wait in b's stash.
    const a2 = new Comm(a.core, 40, Int32Array.of(0, 1), a.services);
    const big = new Uint8Array(256 * 1024).map((_, i) => i * 7);
    const bigSend = a2.isend(big, 1, 1);
    // Enough small ones that their credits matter if counted twice.
    for (let i = 0; i < 40; i++) a2.isend(Float64Array.of(i), 1, 2);
    expect(b.iprobe(0, 99)).toBeUndefined(); // b polls: everything above is stashed
    const b2 = new Comm(b.core, 40, Int32Array.of(0, 1), b.services);
    expect(b2.p2p.unexpectedInOrder()[0]!.exposed).toBe(singleCopy!.address(big));
    const got = await b2.recv<Uint8Array>(0, 1);
    expect(got.data).toEqual(big);
    await bigSend;
    for (let i = 0; i < 40; i++) expect((await b2.recv<Float64Array>(0, 2)).data[0]).toBe(i);
    // b answers (the answer carries the credits it owes); then a may have exactly its 64 credits:
    // 64 more to a b that posts nothing go eager, the 65th by rendezvous.
    await b2.send(Uint8Array.of(1), 0, 3);
    await a2.recv(1, 3);
    const sends = Array.from({ length: 65 }, (_, i) => a2.isend(Float64Array.of(i), 1, 4));
    expect(b2.iprobe(0, 99)).toBeUndefined();
    expect(b2.p2p.unexpectedInOrder().map((m) => m.rendezvous)).toEqual([...new Array(64).fill(false), true]);
    // Waiting on the sends too keeps a progressing (one thread runs both ranks): the rendezvous one needs it.
    const [, got4] = await Promise.all([a2.waitall(sends), Promise.all(sends.map(() => b2.recv<Float64Array>(0, 4)))]);
    expect(got4.map((m) => m.data[0])).toEqual(Array.from({ length: 65 }, (_, i) => i));
    a.core.close();
    b.core.close();
  });

  it("a stashed rendezvous envelope keeps all 64 bits of its exposure handle", async () => {
    // Addresses in worker threads have high bits (in this thread they may not): a hand-made envelope has them.
    const [, b] = await shmPair();
    const handle = 0x7f00_1122_3344n;
    const frame = new Uint8Array(HEADER_BYTES);
    const view = new DataView(frame.buffer);
    stampHeader(view, 0, FrameType.READY_TO_SEND, 2, FLAG_EXPOSED, 50, 0, 7, 0, 1 << 20, 9, 0, 0);
    view.setBigUint64(At.HANDLE, handle, true);
    b.core.deliver(0, frame);
    const b3 = new Comm(b.core, 50, Int32Array.of(0, 1), b.services);
    expect(b3.p2p.unexpectedInOrder().map((m) => m.exposed)).toEqual([handle]);
    b.core.close();
  });

  it("a send the transport took at once returns the shared completed request, which tests and waits as complete", async () => {
    const [a, b] = await shmPair();
    const reqs = Array.from({ length: 8 }, (_, i) => a.isend(Uint8Array.of(i), 1, 5));
    expect(reqs.every((r) => r === SENT_REQUEST)).toBe(true);
    expect(reqs.every((r) => r.test())).toBe(true);
    expect(await a.waitall(reqs)).toEqual(new Array(8).fill(undefined));
    expect(await reqs[0]).toBeUndefined();
    for (let i = 0; i < 8; i++) expect((await b.recv<Uint8Array>(0, 5)).data[0]).toBe(i);
    a.core.close();
    b.core.close();
  });
});
