/**
 * The point-to-point conformance program: every rule of API.md's
 * "Point-to-point" section, written once and run on every engine, transport
 * and placement (test/conformance/*.test.ts and the transports' own suites).
 * It throws on the first violation, naming the rule. Works for any size >= 1
 * (rules that need a peer are checked with rank 0 and the last rank).
 *
 * Args: `--quick` runs fewer repetitions (for slow transports).
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { ANY_SOURCE, ANY_TAG, type Comm, MpiError, PROC_NULL, TAG_UB, waitall, waitany } from "tsmpi";

const LARGE = 300 * 1024;

function fill(n: number, seed: number): Uint8Array {
  const a = new Uint8Array(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    a[i] = x >>> 24;
  }
  return a;
}

async function expectError(p: Promise<unknown> | (() => unknown), code: string, rule: string): Promise<void> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    ok(e instanceof MpiError, `${rule}: expected an MpiError, got ${String(e)}`);
    strictEqual(e.code, code, `${rule}: expected ${code}, got ${e.code}: ${e.message}`);
    return;
  }
  throw new Error(`${rule}: expected ${code}, but the call succeeded`);
}

export default async function main(world: Comm, args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const me = world.rank;
  const last = world.size - 1;
  // Rank 0 and the last rank are the pair for two-party rules (the same rank when size is 1).
  const peer = me === 0 ? last : 0;
  const inPair = me === 0 || me === last;

  // Self-messages: eager and rendezvous sizes to oneself.
  {
    const small = fill(16, 1);
    const big = fill(LARGE, 2);
    const r1 = world.irecv<Uint8Array>(me, 7);
    const r2 = world.irecv<Uint8Array>(me, 7);
    await world.send(small, me, 7);
    await world.send(big, me, 7);
    const [m1, m2] = await waitall([r1, r2]);
    deepStrictEqual(m1.data, small, "self: small message");
    deepStrictEqual(m2.data, big, "self: large message");
  }
  await world.barrier();

  // Non-overtaking: mixed 8 B and 300 KiB messages on one tag arrive in send order,
  // whether the receives are posted before (expected) or after (unexpected) arrival.
  if (inPair && world.size > 1) {
    const count = quick ? 8 : 24;
    const sizes = Array.from({ length: count }, (_, i) => (i % 3 === 1 ? LARGE : 8));
    for (const mode of ["unexpected", "expected"] as const) {
      if (me === 0) {
        if (mode === "expected") await world.recv(peer, 99); // the receiver has posted everything
        const sends = [];
        for (let i = 0; i < count; i++) sends.push(world.isend(fill(sizes[i]!, i + 10), peer, 5));
        await world.send("sent", peer, 98);
        await waitall(sends);
      } else {
        const reqs = [];
        if (mode === "expected") {
          for (let i = 0; i < count; i++) reqs.push(world.irecv<Uint8Array>(0, i % 2 === 0 ? 5 : ANY_TAG));
          await world.send("posted", 0, 99);
        } else {
          await world.recv(0, 98); // everything has been sent (eager ones are waiting unexpected)
          for (let i = 0; i < count; i++) reqs.push(world.irecv<Uint8Array>(i % 2 === 0 ? 0 : ANY_SOURCE, 5));
        }
        const got = await waitall(reqs);
        for (const [i, m] of got.entries()) deepStrictEqual(m.data, fill(sizes[i]!, i + 10), `non-overtaking (${mode}): message ${i} out of order or corrupt`);
        if (mode === "expected") await world.recv(0, 98);
      }
    }
  }
  await world.barrier();

  // Every typed-array kind, ArrayBuffer and DataView arrive as the same kind and length.
  if (inPair && world.size > 1) {
    const values: ArrayBufferView[] = [
      Int8Array.of(-1, 2, -128),
      Uint8Array.of(1, 255),
      Uint8ClampedArray.of(0, 200),
      Int16Array.of(-30000, 7),
      Uint16Array.of(65535),
      Int32Array.of(-2147483648, 5),
      Uint32Array.of(4294967295),
      Float32Array.of(1.5, -0.25),
      Float64Array.of(Math.PI, -1e300, Number.NaN),
      BigInt64Array.of(-(2n ** 63n), 42n),
      BigUint64Array.of(2n ** 64n - 1n),
      new DataView(Uint8Array.of(9, 8, 7).buffer),
      new Float64Array(LARGE / 8).map((_, i) => i * 0.5),
    ];
    const buffer = Uint8Array.of(4, 5, 6).buffer;
    if (me === 0) {
      for (const v of values) await world.send(v, peer, 11);
      await world.send(buffer, peer, 11);
      // A view into the middle of a bigger buffer sends only its own bytes.
      await world.send(new Int16Array(new Int16Array([1, 2, 3, 4]).buffer, 2, 2), peer, 11);
    } else {
      for (const v of values) {
        const { data } = await world.recv<ArrayBufferView>(0, 11);
        strictEqual(data.constructor, v.constructor, `typed arrays: ${v.constructor.name} arrived as ${data.constructor.name}`);
        strictEqual(data.byteLength, v.byteLength, `typed arrays: ${v.constructor.name} length`);
        deepStrictEqual(
          new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
          new Uint8Array(v.buffer, v.byteOffset, v.byteLength),
          `typed arrays: ${v.constructor.name} bytes`,
        );
      }
      const { data: ab } = await world.recv<ArrayBuffer>(0, 11);
      ok(ab instanceof ArrayBuffer, "ArrayBuffer arrives as an ArrayBuffer");
      deepStrictEqual(new Uint8Array(ab), Uint8Array.of(4, 5, 6), "ArrayBuffer bytes");
      const { data: part } = await world.recv<Int16Array>(0, 11);
      deepStrictEqual(part, Int16Array.of(2, 3), "a view sends only its own bytes");
    }
  }
  await world.barrier();

  // Objects travel as MessagePack values, typed arrays nested inside kept.
  if (inPair && world.size > 1) {
    const obj = {
      s: "héllo",
      n: 1.5,
      big: 2n ** 70n,
      b: true,
      nil: null,
      list: [1, "two", [3]],
      map: new Map<string, number>([["a", 1]]),
      set: new Set([1, 2]),
      date: new Date(1_700_000_000_000),
      nested: { f: new Float64Array([1, 2]), i: new Int32Array([-3]) },
      large: "x".repeat(LARGE),
    };
    if (me === 0) await world.send(obj, peer, 12);
    else {
      const { data } = await world.recv<typeof obj>(0, 12);
      deepStrictEqual(data, obj, "objects round-trip");
      ok(data.nested.f instanceof Float64Array && data.map instanceof Map && data.set instanceof Set && data.date instanceof Date, "objects: kinds kept");
    }
  }
  await world.barrier();

  // recvInto of a longer message rejects with ERR_TRUNCATE; the message is consumed and traffic goes on.
  if (inPair && world.size > 1) {
    if (me === 0) {
      await world.send(new Uint8Array(64), peer, 13);
      await world.send(new Uint8Array(LARGE), peer, 13);
      await world.send(Uint8Array.of(1, 2, 3), peer, 13);
    } else {
      await expectError(world.recvInto(new Uint8Array(8), 0, 13), "ERR_TRUNCATE", "truncation (eager)");
      await expectError(world.recvInto(new Uint8Array(1024), 0, 13), "ERR_TRUNCATE", "truncation (rendezvous)");
      const buf = new Uint8Array(16);
      const st = await world.recvInto(buf, 0, 13);
      deepStrictEqual(st, { source: 0, tag: 13, bytes: 3 }, "after truncation: status of the next message");
      deepStrictEqual(buf.subarray(0, 3), Uint8Array.of(1, 2, 3), "after truncation: the next message is intact");
    }
  }
  await world.barrier();

  // Bad ranks and tags reject at the call with ERR_RANK / ERR_TAG.
  await expectError(world.send(1, world.size), "ERR_RANK", "send to rank == size");
  await expectError(world.send(1, -5), "ERR_RANK", "send to a negative rank");
  await expectError(world.send(1, 0.5), "ERR_RANK", "send to a fractional rank");
  await expectError(world.recv(world.size + 3), "ERR_RANK", "recv from a rank outside the communicator");
  await expectError(world.send(1, 0, -3), "ERR_TAG", "send with a negative tag");
  await expectError(world.send(1, 0, TAG_UB + 1), "ERR_TAG", "send with a tag above TAG_UB");
  await expectError(world.recvInto("not a buffer" as unknown as Uint8Array, 0), "ERR_ARG", "recvInto without a buffer");
  await expectError(() => world.iprobe(world.size), "ERR_RANK", "iprobe of a bad rank");

  // PROC_NULL completes at once.
  await world.send("nothing", PROC_NULL, 3);
  const nullMessage = await world.recv(PROC_NULL, 3);
  deepStrictEqual(nullMessage, { data: undefined, source: PROC_NULL, tag: ANY_TAG }, "recv from PROC_NULL");
  deepStrictEqual(await world.recvInto(new Uint8Array(4), PROC_NULL), { source: PROC_NULL, tag: ANY_TAG, bytes: 0 }, "recvInto from PROC_NULL");

  // probe gives the byte count without receiving; iprobe looks without waiting.
  if (inPair && world.size > 1) {
    if (me === 0) {
      await world.send(new Float64Array(10), peer, 21);
      await world.send(new Uint8Array(LARGE), peer, 22);
    } else {
      const s1 = await world.probe(0, 21);
      deepStrictEqual(s1, { source: 0, tag: 21, bytes: 80 }, "probe of an eager message");
      const s2 = await world.probe(ANY_SOURCE, 22);
      deepStrictEqual(s2, { source: 0, tag: 22, bytes: LARGE }, "probe of a rendezvous message");
      deepStrictEqual(world.iprobe(0, 21), s1, "iprobe sees the probed message");
      strictEqual(world.iprobe(0, 23), undefined, "iprobe of nothing");
      strictEqual((await world.recv<Float64Array>(0, 21)).data.length, 10, "receive after probe");
      strictEqual((await world.recv<Uint8Array>(0, 22)).data.length, LARGE, "receive after probe (large)");
    }
  }
  await world.barrier();

  // Zero-length messages.
  if (inPair && world.size > 1) {
    if (me === 0) {
      await world.send(new Uint8Array(0), peer, 31);
      await world.send(new ArrayBuffer(0), peer, 31);
      await world.send(new Float64Array(0), peer, 31);
    } else {
      const a = await world.recv<Uint8Array>(0, 31);
      ok(a.data instanceof Uint8Array && a.data.length === 0, "zero-length Uint8Array");
      const b = await world.recv<ArrayBuffer>(0, 31);
      ok(b.data instanceof ArrayBuffer && b.data.byteLength === 0, "zero-length ArrayBuffer");
      deepStrictEqual(await world.recvInto(new Float64Array(2), 0, 31), { source: 0, tag: 31, bytes: 0 }, "zero-length recvInto");
    }
  }
  await world.barrier();

  // Wildcards: ANY_SOURCE collects one message from every other rank; the sources are right.
  {
    if (me === 0) {
      const seen = new Set<number>();
      for (let i = 1; i < world.size; i++) {
        const m = await world.recv<number>(ANY_SOURCE, 41);
        strictEqual(m.data, m.source * 10, "ANY_SOURCE: data matches its source");
        seen.add(m.source);
      }
      strictEqual(seen.size, world.size - 1, "ANY_SOURCE: one message from every rank");
    } else await world.send(me * 10, 0, 41);
  }
  // ANY_TAG reports the tag.
  if (inPair && world.size > 1) {
    if (me === 0) await world.send("t", peer, 4242);
    else {
      const m = await world.recv(0, ANY_TAG);
      strictEqual(m.tag, 4242, "ANY_TAG reports the tag");
    }
  }
  await world.barrier();

  // A burst of small and empty messages, more than the eager credits, before any receive is
  // posted: the ones past the credits travel by rendezvous; all arrive, in order.
  if (inPair && world.size > 1) {
    const count = 300;
    if (me === 0) {
      const sends = [];
      for (let i = 0; i < count; i++) sends.push(world.isend(i % 3 === 0 ? new Uint8Array(0) : Int32Array.of(i), peer, 52));
      await world.send("burst sent", peer, 53);
      await waitall(sends);
    } else {
      await world.recv(0, 53);
      for (let i = 0; i < count; i++) {
        const { data } = await world.recv<Uint8Array | Int32Array>(0, 52);
        if (i % 3 === 0) ok(data instanceof Uint8Array && data.length === 0, `burst: message ${i} is empty`);
        else deepStrictEqual(data, Int32Array.of(i), `burst: message ${i}`);
      }
    }
  }
  await world.barrier();

  // Many messages in flight (fills rings and send windows): nothing lost, order kept.
  if (inPair && world.size > 1) {
    const count = quick ? 40 : 200;
    const size = 64 * 1024;
    if (me === 0) {
      const sends = [];
      for (let i = 0; i < count; i++) sends.push(world.isend(fill(size, i), peer, 51));
      await waitall(sends);
    } else {
      for (let i = 0; i < count; i++) {
        const buf = new Uint8Array(size);
        const st = await world.recvInto(buf, 0, 51);
        strictEqual(st.bytes, size, "many in flight: size");
        deepStrictEqual(buf, fill(size, i), `many in flight: message ${i}`);
      }
    }
  }
  await world.barrier();

  // irecv + waitall, waitany, Request.test, sendrecv around a ring.
  {
    const right = (me + 1) % world.size;
    const left = (me - 1 + world.size) % world.size;
    const m = await world.sendrecv<number>(me, right, 61, left, 61);
    deepStrictEqual({ data: m.data, source: m.source, tag: m.tag }, { data: left, source: left, tag: 61 }, "sendrecv around a ring");
    const r = world.irecv<string>(left, 62);
    const other = world.irecv<string>(left, 63);
    await world.send("a", right, 62);
    const { index, value } = await waitany([r]);
    strictEqual(index, 0, "waitany index");
    strictEqual(value.data, "a", "waitany value");
    strictEqual(other.test(), false, "Request.test before the message exists");
    await world.barrier(); // nobody sends tag 63 before everyone has tested
    await world.send("b", right, 63);
    await other;
    strictEqual(other.test(), true, "Request.test after completion");
  }
  await world.barrier();

  // dup isolation: a message on a duplicate never matches a receive on the original.
  {
    const dup = await world.dup();
    strictEqual(dup.size, world.size, "dup keeps the group");
    strictEqual(dup.rank, world.rank, "dup keeps ranks");
    if (inPair && world.size > 1) {
      if (me === 0) {
        await dup.send("on dup", peer, 71);
        await world.send("on world", peer, 71);
      } else {
        const w = await world.recv(ANY_SOURCE, ANY_TAG);
        strictEqual(w.data, "on world", "dup isolation: world receive got the world message");
        const d = await dup.recv(0, 71);
        strictEqual(d.data, "on dup", "dup isolation: dup receive got the dup message");
      }
    }
    await dup.barrier();
  }
  await world.barrier();
}
