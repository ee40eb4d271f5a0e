// test/conformance/programs/p2p.ts
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { ANY_SOURCE, ANY_TAG, MpiError, PROC_NULL, TAG_UB, waitall, waitany } from "/work/wt/pkg/index.ts";
var LARGE = 300 * 1024;
function fill(n, seed) {
  const a = new Uint8Array(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = x * 1103515245 + 12345 >>> 0;
    a[i] = x >>> 24;
  }
  return a;
}
async function expectError(p, code, rule) {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    ok(e instanceof MpiError, `${rule}: expected an MpiError, got ${String(e)}`);
    strictEqual(e.code, code, `${rule}: expected ${code}, got ${e.code}: ${e.message}`);
    return;
  }
  throw new Error(`${rule}: expected ${code}, but the call succeeded`);
}
async function main(world, args) {
  const quick = args.includes("--quick");
  const me = world.rank;
  const last = world.size - 1;
  const peer = me === 0 ? last : 0;
  const inPair = me === 0 || me === last;
  {
    const small = fill(16, 1);
    const big = fill(LARGE, 2);
    const r1 = world.irecv(me, 7);
    const r2 = world.irecv(me, 7);
    await world.send(small, me, 7);
    await world.send(big, me, 7);
    const [m1, m2] = await waitall([r1, r2]);
    deepStrictEqual(m1.data, small, "self: small message");
    deepStrictEqual(m2.data, big, "self: large message");
  }
  await world.barrier();
  if (inPair && world.size > 1) {
    const count = quick ? 8 : 24;
    const sizes = Array.from({ length: count }, (_, i) => i % 3 === 1 ? LARGE : 8);
    for (const mode of ["unexpected", "expected"]) {
      if (me === 0) {
        if (mode === "expected") await world.recv(peer, 99);
        const sends = [];
        for (let i = 0; i < count; i++) sends.push(world.isend(fill(sizes[i], i + 10), peer, 5));
        await world.send("sent", peer, 98);
        await waitall(sends);
      } else {
        const reqs = [];
        if (mode === "expected") {
          for (let i = 0; i < count; i++) reqs.push(world.irecv(0, i % 2 === 0 ? 5 : ANY_TAG));
          await world.send("posted", 0, 99);
        } else {
          await world.recv(0, 98);
          for (let i = 0; i < count; i++) reqs.push(world.irecv(i % 2 === 0 ? 0 : ANY_SOURCE, 5));
        }
        const got = await waitall(reqs);
        for (const [i, m] of got.entries()) deepStrictEqual(m.data, fill(sizes[i], i + 10), `non-overtaking (${mode}): message ${i} out of order or corrupt`);
        if (mode === "expected") await world.recv(0, 98);
      }
    }
  }
  await world.barrier();
  if (inPair && world.size > 1) {
    const values = [
      Int8Array.of(-1, 2, -128),
      Uint8Array.of(1, 255),
      Uint8ClampedArray.of(0, 200),
      Int16Array.of(-3e4, 7),
      Uint16Array.of(65535),
      Int32Array.of(-2147483648, 5),
      Uint32Array.of(4294967295),
      Float32Array.of(1.5, -0.25),
      Float64Array.of(Math.PI, -1e300, Number.NaN),
      BigInt64Array.of(-(2n ** 63n), 42n),
      BigUint64Array.of(2n ** 64n - 1n),
      new DataView(Uint8Array.of(9, 8, 7).buffer),
      new Float64Array(LARGE / 8).map((_, i) => i * 0.5)
    ];
    const buffer = Uint8Array.of(4, 5, 6).buffer;
    if (me === 0) {
      for (const v of values) await world.send(v, peer, 11);
      await world.send(buffer, peer, 11);
      await world.send(new Int16Array(new Int16Array([1, 2, 3, 4]).buffer, 2, 2), peer, 11);
    } else {
      for (const v of values) {
        const { data } = await world.recv(0, 11);
        strictEqual(data.constructor, v.constructor, `typed arrays: ${v.constructor.name} arrived as ${data.constructor.name}`);
        strictEqual(data.byteLength, v.byteLength, `typed arrays: ${v.constructor.name} length`);
        deepStrictEqual(
          new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
          new Uint8Array(v.buffer, v.byteOffset, v.byteLength),
          `typed arrays: ${v.constructor.name} bytes`
        );
      }
      const { data: ab } = await world.recv(0, 11);
      ok(ab instanceof ArrayBuffer, "ArrayBuffer arrives as an ArrayBuffer");
      deepStrictEqual(new Uint8Array(ab), Uint8Array.of(4, 5, 6), "ArrayBuffer bytes");
      const { data: part } = await world.recv(0, 11);
      deepStrictEqual(part, Int16Array.of(2, 3), "a view sends only its own bytes");
    }
  }
  await world.barrier();
  if (inPair && world.size > 1) {
    const obj = {
      s: "h\xE9llo",
      n: 1.5,
      big: 2n ** 70n,
      b: true,
      nil: null,
      list: [1, "two", [3]],
      map: /* @__PURE__ */ new Map([["a", 1]]),
      set: /* @__PURE__ */ new Set([1, 2]),
      date: /* @__PURE__ */ new Date(17e11),
      nested: { f: new Float64Array([1, 2]), i: new Int32Array([-3]) },
      large: "x".repeat(LARGE)
    };
    if (me === 0) await world.send(obj, peer, 12);
    else {
      const { data } = await world.recv(0, 12);
      deepStrictEqual(data, obj, "objects round-trip");
      ok(data.nested.f instanceof Float64Array && data.map instanceof Map && data.set instanceof Set && data.date instanceof Date, "objects: kinds kept");
    }
  }
  await world.barrier();
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
  await expectError(world.send(1, world.size), "ERR_RANK", "send to rank == size");
  await expectError(world.send(1, -5), "ERR_RANK", "send to a negative rank");
  await expectError(world.send(1, 0.5), "ERR_RANK", "send to a fractional rank");
  await expectError(world.recv(world.size + 3), "ERR_RANK", "recv from a rank outside the communicator");
  await expectError(world.send(1, 0, -3), "ERR_TAG", "send with a negative tag");
  await expectError(world.send(1, 0, TAG_UB + 1), "ERR_TAG", "send with a tag above TAG_UB");
  await expectError(world.recvInto("not a buffer", 0), "ERR_ARG", "recvInto without a buffer");
  await expectError(() => world.iprobe(world.size), "ERR_RANK", "iprobe of a bad rank");
  await world.send("nothing", PROC_NULL, 3);
  const nullMessage = await world.recv(PROC_NULL, 3);
  deepStrictEqual(nullMessage, { data: void 0, source: PROC_NULL, tag: ANY_TAG }, "recv from PROC_NULL");
  deepStrictEqual(await world.recvInto(new Uint8Array(4), PROC_NULL), { source: PROC_NULL, tag: ANY_TAG, bytes: 0 }, "recvInto from PROC_NULL");
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
      strictEqual(world.iprobe(0, 23), void 0, "iprobe of nothing");
      strictEqual((await world.recv(0, 21)).data.length, 10, "receive after probe");
      strictEqual((await world.recv(0, 22)).data.length, LARGE, "receive after probe (large)");
    }
  }
  await world.barrier();
  if (inPair && world.size > 1) {
    if (me === 0) {
      await world.send(new Uint8Array(0), peer, 31);
      await world.send(new ArrayBuffer(0), peer, 31);
      await world.send(new Float64Array(0), peer, 31);
    } else {
      const a = await world.recv(0, 31);
      ok(a.data instanceof Uint8Array && a.data.length === 0, "zero-length Uint8Array");
      const b = await world.recv(0, 31);
      ok(b.data instanceof ArrayBuffer && b.data.byteLength === 0, "zero-length ArrayBuffer");
      deepStrictEqual(await world.recvInto(new Float64Array(2), 0, 31), { source: 0, tag: 31, bytes: 0 }, "zero-length recvInto");
    }
  }
  await world.barrier();
  if (me === 0) {
    const seen = /* @__PURE__ */ new Set();
    for (let i = 1; i < world.size; i++) {
      const m = await world.recv(ANY_SOURCE, 41);
      strictEqual(m.data, m.source * 10, "ANY_SOURCE: data matches its source");
      seen.add(m.source);
    }
    strictEqual(seen.size, world.size - 1, "ANY_SOURCE: one message from every rank");
  } else await world.send(me * 10, 0, 41);
  if (inPair && world.size > 1) {
    if (me === 0) await world.send("t", peer, 4242);
    else {
      const m = await world.recv(0, ANY_TAG);
      strictEqual(m.tag, 4242, "ANY_TAG reports the tag");
    }
  }
  await world.barrier();
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
        const { data } = await world.recv(0, 52);
        if (i % 3 === 0) ok(data instanceof Uint8Array && data.length === 0, `burst: message ${i} is empty`);
        else deepStrictEqual(data, Int32Array.of(i), `burst: message ${i}`);
      }
    }
  }
  await world.barrier();
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
  {
    const right = (me + 1) % world.size;
    const left = (me - 1 + world.size) % world.size;
    const m = await world.sendrecv(me, right, 61, left, 61);
    deepStrictEqual({ data: m.data, source: m.source, tag: m.tag }, { data: left, source: left, tag: 61 }, "sendrecv around a ring");
    const r = world.irecv(left, 62);
    const other = world.irecv(left, 63);
    await world.send("a", right, 62);
    const { index, value } = await waitany([r]);
    strictEqual(index, 0, "waitany index");
    strictEqual(value.data, "a", "waitany value");
    strictEqual(other.test(), false, "Request.test before the message exists");
    await world.barrier();
    await world.send("b", right, 63);
    await other;
    strictEqual(other.test(), true, "Request.test after completion");
  }
  await world.barrier();
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
export {
  main as default
};
//# sourceMappingURL=data:application/json;base64,ewogICJ2ZXJzaW9uIjogMywKICAic291cmNlcyI6IFsicDJwLnRzIl0sCiAgIm1hcHBpbmdzIjogIjtBQVNBLFNBQVMsaUJBQWlCLElBQUksbUJBQW1CO0FBQ2pELFNBQVMsWUFBWSxTQUFvQixVQUFVLFdBQVcsUUFBUSxTQUFTLGVBQWU7QUFFOUYsSUFBTSxRQUFRLE1BQU07QUFFcEIsU0FBUyxLQUFLLEdBQVcsTUFBMEI7QUFDakQsUUFBTSxJQUFJLElBQUksV0FBVyxDQUFDO0FBQzFCLE1BQUksSUFBSSxPQUFPO0FBQ2YsV0FBUyxJQUFJLEdBQUcsSUFBSSxHQUFHLEtBQUs7QUFDMUIsUUFBSyxJQUFJLGFBQWEsVUFBVztBQUNqQyxNQUFFLENBQUMsSUFBSSxNQUFNO0FBQUEsRUFDZjtBQUNBLFNBQU87QUFDVDtBQUVBLGVBQWUsWUFBWSxHQUF1QyxNQUFjLE1BQTZCO0FBQzNHLE1BQUk7QUFDRixXQUFPLE9BQU8sTUFBTSxhQUFhLEVBQUUsSUFBSTtBQUFBLEVBQ3pDLFNBQVMsR0FBRztBQUNWLE9BQUcsYUFBYSxVQUFVLEdBQUcsSUFBSSwrQkFBK0IsT0FBTyxDQUFDLENBQUMsRUFBRTtBQUMzRSxnQkFBWSxFQUFFLE1BQU0sTUFBTSxHQUFHLElBQUksY0FBYyxJQUFJLFNBQVMsRUFBRSxJQUFJLEtBQUssRUFBRSxPQUFPLEVBQUU7QUFDbEY7QUFBQSxFQUNGO0FBQ0EsUUFBTSxJQUFJLE1BQU0sR0FBRyxJQUFJLGNBQWMsSUFBSSwwQkFBMEI7QUFDckU7QUFFQSxlQUFPLEtBQTRCLE9BQWEsTUFBK0I7QUFDN0UsUUFBTSxRQUFRLEtBQUssU0FBUyxTQUFTO0FBQ3JDLFFBQU0sS0FBSyxNQUFNO0FBQ2pCLFFBQU0sT0FBTyxNQUFNLE9BQU87QUFFMUIsUUFBTSxPQUFPLE9BQU8sSUFBSSxPQUFPO0FBQy9CLFFBQU0sU0FBUyxPQUFPLEtBQUssT0FBTztBQUdsQztBQUNFLFVBQU0sUUFBUSxLQUFLLElBQUksQ0FBQztBQUN4QixVQUFNLE1BQU0sS0FBSyxPQUFPLENBQUM7QUFDekIsVUFBTSxLQUFLLE1BQU0sTUFBa0IsSUFBSSxDQUFDO0FBQ3hDLFVBQU0sS0FBSyxNQUFNLE1BQWtCLElBQUksQ0FBQztBQUN4QyxVQUFNLE1BQU0sS0FBSyxPQUFPLElBQUksQ0FBQztBQUM3QixVQUFNLE1BQU0sS0FBSyxLQUFLLElBQUksQ0FBQztBQUMzQixVQUFNLENBQUMsSUFBSSxFQUFFLElBQUksTUFBTSxRQUFRLENBQUMsSUFBSSxFQUFFLENBQUM7QUFDdkMsb0JBQWdCLEdBQUcsTUFBTSxPQUFPLHFCQUFxQjtBQUNyRCxvQkFBZ0IsR0FBRyxNQUFNLEtBQUsscUJBQXFCO0FBQUEsRUFDckQ7QUFDQSxRQUFNLE1BQU0sUUFBUTtBQUlwQixNQUFJLFVBQVUsTUFBTSxPQUFPLEdBQUc7QUFDNUIsVUFBTSxRQUFRLFFBQVEsSUFBSTtBQUMxQixVQUFNLFFBQVEsTUFBTSxLQUFLLEVBQUUsUUFBUSxNQUFNLEdBQUcsQ0FBQyxHQUFHLE1BQU8sSUFBSSxNQUFNLElBQUksUUFBUSxDQUFFO0FBQy9FLGVBQVcsUUFBUSxDQUFDLGNBQWMsVUFBVSxHQUFZO0FBQ3RELFVBQUksT0FBTyxHQUFHO0FBQ1osWUFBSSxTQUFTLFdBQVksT0FBTSxNQUFNLEtBQUssTUFBTSxFQUFFO0FBQ2xELGNBQU0sUUFBUSxDQUFDO0FBQ2YsaUJBQVMsSUFBSSxHQUFHLElBQUksT0FBTyxJQUFLLE9BQU0sS0FBSyxNQUFNLE1BQU0sS0FBSyxNQUFNLENBQUMsR0FBSSxJQUFJLEVBQUUsR0FBRyxNQUFNLENBQUMsQ0FBQztBQUN4RixjQUFNLE1BQU0sS0FBSyxRQUFRLE1BQU0sRUFBRTtBQUNqQyxjQUFNLFFBQVEsS0FBSztBQUFBLE1BQ3JCLE9BQU87QUFDTCxjQUFNLE9BQU8sQ0FBQztBQUNkLFlBQUksU0FBUyxZQUFZO0FBQ3ZCLG1CQUFTLElBQUksR0FBRyxJQUFJLE9BQU8sSUFBSyxNQUFLLEtBQUssTUFBTSxNQUFrQixHQUFHLElBQUksTUFBTSxJQUFJLElBQUksT0FBTyxDQUFDO0FBQy9GLGdCQUFNLE1BQU0sS0FBSyxVQUFVLEdBQUcsRUFBRTtBQUFBLFFBQ2xDLE9BQU87QUFDTCxnQkFBTSxNQUFNLEtBQUssR0FBRyxFQUFFO0FBQ3RCLG1CQUFTLElBQUksR0FBRyxJQUFJLE9BQU8sSUFBSyxNQUFLLEtBQUssTUFBTSxNQUFrQixJQUFJLE1BQU0sSUFBSSxJQUFJLFlBQVksQ0FBQyxDQUFDO0FBQUEsUUFDcEc7QUFDQSxjQUFNLE1BQU0sTUFBTSxRQUFRLElBQUk7QUFDOUIsbUJBQVcsQ0FBQyxHQUFHLENBQUMsS0FBSyxJQUFJLFFBQVEsRUFBRyxpQkFBZ0IsRUFBRSxNQUFNLEtBQUssTUFBTSxDQUFDLEdBQUksSUFBSSxFQUFFLEdBQUcsbUJBQW1CLElBQUksY0FBYyxDQUFDLDBCQUEwQjtBQUNySixZQUFJLFNBQVMsV0FBWSxPQUFNLE1BQU0sS0FBSyxHQUFHLEVBQUU7QUFBQSxNQUNqRDtBQUFBLElBQ0Y7QUFBQSxFQUNGO0FBQ0EsUUFBTSxNQUFNLFFBQVE7QUFHcEIsTUFBSSxVQUFVLE1BQU0sT0FBTyxHQUFHO0FBQzVCLFVBQU0sU0FBNEI7QUFBQSxNQUNoQyxVQUFVLEdBQUcsSUFBSSxHQUFHLElBQUk7QUFBQSxNQUN4QixXQUFXLEdBQUcsR0FBRyxHQUFHO0FBQUEsTUFDcEIsa0JBQWtCLEdBQUcsR0FBRyxHQUFHO0FBQUEsTUFDM0IsV0FBVyxHQUFHLE1BQVEsQ0FBQztBQUFBLE1BQ3ZCLFlBQVksR0FBRyxLQUFLO0FBQUEsTUFDcEIsV0FBVyxHQUFHLGFBQWEsQ0FBQztBQUFBLE1BQzVCLFlBQVksR0FBRyxVQUFVO0FBQUEsTUFDekIsYUFBYSxHQUFHLEtBQUssS0FBSztBQUFBLE1BQzFCLGFBQWEsR0FBRyxLQUFLLElBQUksUUFBUSxPQUFPLEdBQUc7QUFBQSxNQUMzQyxjQUFjLEdBQUcsRUFBRSxNQUFNLE1BQU0sR0FBRztBQUFBLE1BQ2xDLGVBQWUsR0FBRyxNQUFNLE1BQU0sRUFBRTtBQUFBLE1BQ2hDLElBQUksU0FBUyxXQUFXLEdBQUcsR0FBRyxHQUFHLENBQUMsRUFBRSxNQUFNO0FBQUEsTUFDMUMsSUFBSSxhQUFhLFFBQVEsQ0FBQyxFQUFFLElBQUksQ0FBQyxHQUFHLE1BQU0sSUFBSSxHQUFHO0FBQUEsSUFDbkQ7QUFDQSxVQUFNLFNBQVMsV0FBVyxHQUFHLEdBQUcsR0FBRyxDQUFDLEVBQUU7QUFDdEMsUUFBSSxPQUFPLEdBQUc7QUFDWixpQkFBVyxLQUFLLE9BQVEsT0FBTSxNQUFNLEtBQUssR0FBRyxNQUFNLEVBQUU7QUFDcEQsWUFBTSxNQUFNLEtBQUssUUFBUSxNQUFNLEVBQUU7QUFFakMsWUFBTSxNQUFNLEtBQUssSUFBSSxXQUFXLElBQUksV0FBVyxDQUFDLEdBQUcsR0FBRyxHQUFHLENBQUMsQ0FBQyxFQUFFLFFBQVEsR0FBRyxDQUFDLEdBQUcsTUFBTSxFQUFFO0FBQUEsSUFDdEYsT0FBTztBQUNMLGlCQUFXLEtBQUssUUFBUTtBQUN0QixjQUFNLEVBQUUsS0FBSyxJQUFJLE1BQU0sTUFBTSxLQUFzQixHQUFHLEVBQUU7QUFDeEQsb0JBQVksS0FBSyxhQUFhLEVBQUUsYUFBYSxpQkFBaUIsRUFBRSxZQUFZLElBQUksZUFBZSxLQUFLLFlBQVksSUFBSSxFQUFFO0FBQ3RILG9CQUFZLEtBQUssWUFBWSxFQUFFLFlBQVksaUJBQWlCLEVBQUUsWUFBWSxJQUFJLFNBQVM7QUFDdkY7QUFBQSxVQUNFLElBQUksV0FBVyxLQUFLLFFBQVEsS0FBSyxZQUFZLEtBQUssVUFBVTtBQUFBLFVBQzVELElBQUksV0FBVyxFQUFFLFFBQVEsRUFBRSxZQUFZLEVBQUUsVUFBVTtBQUFBLFVBQ25ELGlCQUFpQixFQUFFLFlBQVksSUFBSTtBQUFBLFFBQ3JDO0FBQUEsTUFDRjtBQUNBLFlBQU0sRUFBRSxNQUFNLEdBQUcsSUFBSSxNQUFNLE1BQU0sS0FBa0IsR0FBRyxFQUFFO0FBQ3hELFNBQUcsY0FBYyxhQUFhLHVDQUF1QztBQUNyRSxzQkFBZ0IsSUFBSSxXQUFXLEVBQUUsR0FBRyxXQUFXLEdBQUcsR0FBRyxHQUFHLENBQUMsR0FBRyxtQkFBbUI7QUFDL0UsWUFBTSxFQUFFLE1BQU0sS0FBSyxJQUFJLE1BQU0sTUFBTSxLQUFpQixHQUFHLEVBQUU7QUFDekQsc0JBQWdCLE1BQU0sV0FBVyxHQUFHLEdBQUcsQ0FBQyxHQUFHLGlDQUFpQztBQUFBLElBQzlFO0FBQUEsRUFDRjtBQUNBLFFBQU0sTUFBTSxRQUFRO0FBR3BCLE1BQUksVUFBVSxNQUFNLE9BQU8sR0FBRztBQUM1QixVQUFNLE1BQU07QUFBQSxNQUNWLEdBQUc7QUFBQSxNQUNILEdBQUc7QUFBQSxNQUNILEtBQUssTUFBTTtBQUFBLE1BQ1gsR0FBRztBQUFBLE1BQ0gsS0FBSztBQUFBLE1BQ0wsTUFBTSxDQUFDLEdBQUcsT0FBTyxDQUFDLENBQUMsQ0FBQztBQUFBLE1BQ3BCLEtBQUssb0JBQUksSUFBb0IsQ0FBQyxDQUFDLEtBQUssQ0FBQyxDQUFDLENBQUM7QUFBQSxNQUN2QyxLQUFLLG9CQUFJLElBQUksQ0FBQyxHQUFHLENBQUMsQ0FBQztBQUFBLE1BQ25CLE1BQU0sb0JBQUksS0FBSyxLQUFpQjtBQUFBLE1BQ2hDLFFBQVEsRUFBRSxHQUFHLElBQUksYUFBYSxDQUFDLEdBQUcsQ0FBQyxDQUFDLEdBQUcsR0FBRyxJQUFJLFdBQVcsQ0FBQyxFQUFFLENBQUMsRUFBRTtBQUFBLE1BQy9ELE9BQU8sSUFBSSxPQUFPLEtBQUs7QUFBQSxJQUN6QjtBQUNBLFFBQUksT0FBTyxFQUFHLE9BQU0sTUFBTSxLQUFLLEtBQUssTUFBTSxFQUFFO0FBQUEsU0FDdkM7QUFDSCxZQUFNLEVBQUUsS0FBSyxJQUFJLE1BQU0sTUFBTSxLQUFpQixHQUFHLEVBQUU7QUFDbkQsc0JBQWdCLE1BQU0sS0FBSyxvQkFBb0I7QUFDL0MsU0FBRyxLQUFLLE9BQU8sYUFBYSxnQkFBZ0IsS0FBSyxlQUFlLE9BQU8sS0FBSyxlQUFlLE9BQU8sS0FBSyxnQkFBZ0IsTUFBTSxxQkFBcUI7QUFBQSxJQUNwSjtBQUFBLEVBQ0Y7QUFDQSxRQUFNLE1BQU0sUUFBUTtBQUdwQixNQUFJLFVBQVUsTUFBTSxPQUFPLEdBQUc7QUFDNUIsUUFBSSxPQUFPLEdBQUc7QUFDWixZQUFNLE1BQU0sS0FBSyxJQUFJLFdBQVcsRUFBRSxHQUFHLE1BQU0sRUFBRTtBQUM3QyxZQUFNLE1BQU0sS0FBSyxJQUFJLFdBQVcsS0FBSyxHQUFHLE1BQU0sRUFBRTtBQUNoRCxZQUFNLE1BQU0sS0FBSyxXQUFXLEdBQUcsR0FBRyxHQUFHLENBQUMsR0FBRyxNQUFNLEVBQUU7QUFBQSxJQUNuRCxPQUFPO0FBQ0wsWUFBTSxZQUFZLE1BQU0sU0FBUyxJQUFJLFdBQVcsQ0FBQyxHQUFHLEdBQUcsRUFBRSxHQUFHLGdCQUFnQixvQkFBb0I7QUFDaEcsWUFBTSxZQUFZLE1BQU0sU0FBUyxJQUFJLFdBQVcsSUFBSSxHQUFHLEdBQUcsRUFBRSxHQUFHLGdCQUFnQix5QkFBeUI7QUFDeEcsWUFBTSxNQUFNLElBQUksV0FBVyxFQUFFO0FBQzdCLFlBQU0sS0FBSyxNQUFNLE1BQU0sU0FBUyxLQUFLLEdBQUcsRUFBRTtBQUMxQyxzQkFBZ0IsSUFBSSxFQUFFLFFBQVEsR0FBRyxLQUFLLElBQUksT0FBTyxFQUFFLEdBQUcsOENBQThDO0FBQ3BHLHNCQUFnQixJQUFJLFNBQVMsR0FBRyxDQUFDLEdBQUcsV0FBVyxHQUFHLEdBQUcsR0FBRyxDQUFDLEdBQUcsOENBQThDO0FBQUEsSUFDNUc7QUFBQSxFQUNGO0FBQ0EsUUFBTSxNQUFNLFFBQVE7QUFHcEIsUUFBTSxZQUFZLE1BQU0sS0FBSyxHQUFHLE1BQU0sSUFBSSxHQUFHLFlBQVksc0JBQXNCO0FBQy9FLFFBQU0sWUFBWSxNQUFNLEtBQUssR0FBRyxFQUFFLEdBQUcsWUFBWSx5QkFBeUI7QUFDMUUsUUFBTSxZQUFZLE1BQU0sS0FBSyxHQUFHLEdBQUcsR0FBRyxZQUFZLDJCQUEyQjtBQUM3RSxRQUFNLFlBQVksTUFBTSxLQUFLLE1BQU0sT0FBTyxDQUFDLEdBQUcsWUFBWSwyQ0FBMkM7QUFDckcsUUFBTSxZQUFZLE1BQU0sS0FBSyxHQUFHLEdBQUcsRUFBRSxHQUFHLFdBQVcsMEJBQTBCO0FBQzdFLFFBQU0sWUFBWSxNQUFNLEtBQUssR0FBRyxHQUFHLFNBQVMsQ0FBQyxHQUFHLFdBQVcsOEJBQThCO0FBQ3pGLFFBQU0sWUFBWSxNQUFNLFNBQVMsZ0JBQXlDLENBQUMsR0FBRyxXQUFXLDJCQUEyQjtBQUNwSCxRQUFNLFlBQVksTUFBTSxNQUFNLE9BQU8sTUFBTSxJQUFJLEdBQUcsWUFBWSxzQkFBc0I7QUFHcEYsUUFBTSxNQUFNLEtBQUssV0FBVyxXQUFXLENBQUM7QUFDeEMsUUFBTSxjQUFjLE1BQU0sTUFBTSxLQUFLLFdBQVcsQ0FBQztBQUNqRCxrQkFBZ0IsYUFBYSxFQUFFLE1BQU0sUUFBVyxRQUFRLFdBQVcsS0FBSyxRQUFRLEdBQUcscUJBQXFCO0FBQ3hHLGtCQUFnQixNQUFNLE1BQU0sU0FBUyxJQUFJLFdBQVcsQ0FBQyxHQUFHLFNBQVMsR0FBRyxFQUFFLFFBQVEsV0FBVyxLQUFLLFNBQVMsT0FBTyxFQUFFLEdBQUcseUJBQXlCO0FBRzVJLE1BQUksVUFBVSxNQUFNLE9BQU8sR0FBRztBQUM1QixRQUFJLE9BQU8sR0FBRztBQUNaLFlBQU0sTUFBTSxLQUFLLElBQUksYUFBYSxFQUFFLEdBQUcsTUFBTSxFQUFFO0FBQy9DLFlBQU0sTUFBTSxLQUFLLElBQUksV0FBVyxLQUFLLEdBQUcsTUFBTSxFQUFFO0FBQUEsSUFDbEQsT0FBTztBQUNMLFlBQU0sS0FBSyxNQUFNLE1BQU0sTUFBTSxHQUFHLEVBQUU7QUFDbEMsc0JBQWdCLElBQUksRUFBRSxRQUFRLEdBQUcsS0FBSyxJQUFJLE9BQU8sR0FBRyxHQUFHLDJCQUEyQjtBQUNsRixZQUFNLEtBQUssTUFBTSxNQUFNLE1BQU0sWUFBWSxFQUFFO0FBQzNDLHNCQUFnQixJQUFJLEVBQUUsUUFBUSxHQUFHLEtBQUssSUFBSSxPQUFPLE1BQU0sR0FBRywrQkFBK0I7QUFDekYsc0JBQWdCLE1BQU0sT0FBTyxHQUFHLEVBQUUsR0FBRyxJQUFJLGdDQUFnQztBQUN6RSxrQkFBWSxNQUFNLE9BQU8sR0FBRyxFQUFFLEdBQUcsUUFBVyxtQkFBbUI7QUFDL0QsbUJBQWEsTUFBTSxNQUFNLEtBQW1CLEdBQUcsRUFBRSxHQUFHLEtBQUssUUFBUSxJQUFJLHFCQUFxQjtBQUMxRixtQkFBYSxNQUFNLE1BQU0sS0FBaUIsR0FBRyxFQUFFLEdBQUcsS0FBSyxRQUFRLE9BQU8sNkJBQTZCO0FBQUEsSUFDckc7QUFBQSxFQUNGO0FBQ0EsUUFBTSxNQUFNLFFBQVE7QUFHcEIsTUFBSSxVQUFVLE1BQU0sT0FBTyxHQUFHO0FBQzVCLFFBQUksT0FBTyxHQUFHO0FBQ1osWUFBTSxNQUFNLEtBQUssSUFBSSxXQUFXLENBQUMsR0FBRyxNQUFNLEVBQUU7QUFDNUMsWUFBTSxNQUFNLEtBQUssSUFBSSxZQUFZLENBQUMsR0FBRyxNQUFNLEVBQUU7QUFDN0MsWUFBTSxNQUFNLEtBQUssSUFBSSxhQUFhLENBQUMsR0FBRyxNQUFNLEVBQUU7QUFBQSxJQUNoRCxPQUFPO0FBQ0wsWUFBTSxJQUFJLE1BQU0sTUFBTSxLQUFpQixHQUFHLEVBQUU7QUFDNUMsU0FBRyxFQUFFLGdCQUFnQixjQUFjLEVBQUUsS0FBSyxXQUFXLEdBQUcsd0JBQXdCO0FBQ2hGLFlBQU0sSUFBSSxNQUFNLE1BQU0sS0FBa0IsR0FBRyxFQUFFO0FBQzdDLFNBQUcsRUFBRSxnQkFBZ0IsZUFBZSxFQUFFLEtBQUssZUFBZSxHQUFHLHlCQUF5QjtBQUN0RixzQkFBZ0IsTUFBTSxNQUFNLFNBQVMsSUFBSSxhQUFhLENBQUMsR0FBRyxHQUFHLEVBQUUsR0FBRyxFQUFFLFFBQVEsR0FBRyxLQUFLLElBQUksT0FBTyxFQUFFLEdBQUcsc0JBQXNCO0FBQUEsSUFDNUg7QUFBQSxFQUNGO0FBQ0EsUUFBTSxNQUFNLFFBQVE7QUFHcEIsTUFBSSxPQUFPLEdBQUc7QUFDWixVQUFNLE9BQU8sb0JBQUksSUFBWTtBQUM3QixhQUFTLElBQUksR0FBRyxJQUFJLE1BQU0sTUFBTSxLQUFLO0FBQ25DLFlBQU0sSUFBSSxNQUFNLE1BQU0sS0FBYSxZQUFZLEVBQUU7QUFDakQsa0JBQVksRUFBRSxNQUFNLEVBQUUsU0FBUyxJQUFJLHFDQUFxQztBQUN4RSxXQUFLLElBQUksRUFBRSxNQUFNO0FBQUEsSUFDbkI7QUFDQSxnQkFBWSxLQUFLLE1BQU0sTUFBTSxPQUFPLEdBQUcseUNBQXlDO0FBQUEsRUFDbEYsTUFBTyxPQUFNLE1BQU0sS0FBSyxLQUFLLElBQUksR0FBRyxFQUFFO0FBRXRDLE1BQUksVUFBVSxNQUFNLE9BQU8sR0FBRztBQUM1QixRQUFJLE9BQU8sRUFBRyxPQUFNLE1BQU0sS0FBSyxLQUFLLE1BQU0sSUFBSTtBQUFBLFNBQ3pDO0FBQ0gsWUFBTSxJQUFJLE1BQU0sTUFBTSxLQUFLLEdBQUcsT0FBTztBQUNyQyxrQkFBWSxFQUFFLEtBQUssTUFBTSx5QkFBeUI7QUFBQSxJQUNwRDtBQUFBLEVBQ0Y7QUFDQSxRQUFNLE1BQU0sUUFBUTtBQUlwQixNQUFJLFVBQVUsTUFBTSxPQUFPLEdBQUc7QUFDNUIsVUFBTSxRQUFRO0FBQ2QsUUFBSSxPQUFPLEdBQUc7QUFDWixZQUFNLFFBQVEsQ0FBQztBQUNmLGVBQVMsSUFBSSxHQUFHLElBQUksT0FBTyxJQUFLLE9BQU0sS0FBSyxNQUFNLE1BQU0sSUFBSSxNQUFNLElBQUksSUFBSSxXQUFXLENBQUMsSUFBSSxXQUFXLEdBQUcsQ0FBQyxHQUFHLE1BQU0sRUFBRSxDQUFDO0FBQ3BILFlBQU0sTUFBTSxLQUFLLGNBQWMsTUFBTSxFQUFFO0FBQ3ZDLFlBQU0sUUFBUSxLQUFLO0FBQUEsSUFDckIsT0FBTztBQUNMLFlBQU0sTUFBTSxLQUFLLEdBQUcsRUFBRTtBQUN0QixlQUFTLElBQUksR0FBRyxJQUFJLE9BQU8sS0FBSztBQUM5QixjQUFNLEVBQUUsS0FBSyxJQUFJLE1BQU0sTUFBTSxLQUE4QixHQUFHLEVBQUU7QUFDaEUsWUFBSSxJQUFJLE1BQU0sRUFBRyxJQUFHLGdCQUFnQixjQUFjLEtBQUssV0FBVyxHQUFHLGtCQUFrQixDQUFDLFdBQVc7QUFBQSxZQUM5RixpQkFBZ0IsTUFBTSxXQUFXLEdBQUcsQ0FBQyxHQUFHLGtCQUFrQixDQUFDLEVBQUU7QUFBQSxNQUNwRTtBQUFBLElBQ0Y7QUFBQSxFQUNGO0FBQ0EsUUFBTSxNQUFNLFFBQVE7QUFHcEIsTUFBSSxVQUFVLE1BQU0sT0FBTyxHQUFHO0FBQzVCLFVBQU0sUUFBUSxRQUFRLEtBQUs7QUFDM0IsVUFBTSxPQUFPLEtBQUs7QUFDbEIsUUFBSSxPQUFPLEdBQUc7QUFDWixZQUFNLFFBQVEsQ0FBQztBQUNmLGVBQVMsSUFBSSxHQUFHLElBQUksT0FBTyxJQUFLLE9BQU0sS0FBSyxNQUFNLE1BQU0sS0FBSyxNQUFNLENBQUMsR0FBRyxNQUFNLEVBQUUsQ0FBQztBQUMvRSxZQUFNLFFBQVEsS0FBSztBQUFBLElBQ3JCLE9BQU87QUFDTCxlQUFTLElBQUksR0FBRyxJQUFJLE9BQU8sS0FBSztBQUM5QixjQUFNLE1BQU0sSUFBSSxXQUFXLElBQUk7QUFDL0IsY0FBTSxLQUFLLE1BQU0sTUFBTSxTQUFTLEtBQUssR0FBRyxFQUFFO0FBQzFDLG9CQUFZLEdBQUcsT0FBTyxNQUFNLHNCQUFzQjtBQUNsRCx3QkFBZ0IsS0FBSyxLQUFLLE1BQU0sQ0FBQyxHQUFHLDJCQUEyQixDQUFDLEVBQUU7QUFBQSxNQUNwRTtBQUFBLElBQ0Y7QUFBQSxFQUNGO0FBQ0EsUUFBTSxNQUFNLFFBQVE7QUFHcEI7QUFDRSxVQUFNLFNBQVMsS0FBSyxLQUFLLE1BQU07QUFDL0IsVUFBTSxRQUFRLEtBQUssSUFBSSxNQUFNLFFBQVEsTUFBTTtBQUMzQyxVQUFNLElBQUksTUFBTSxNQUFNLFNBQWlCLElBQUksT0FBTyxJQUFJLE1BQU0sRUFBRTtBQUM5RCxvQkFBZ0IsRUFBRSxNQUFNLEVBQUUsTUFBTSxRQUFRLEVBQUUsUUFBUSxLQUFLLEVBQUUsSUFBSSxHQUFHLEVBQUUsTUFBTSxNQUFNLFFBQVEsTUFBTSxLQUFLLEdBQUcsR0FBRyx3QkFBd0I7QUFDL0gsVUFBTSxJQUFJLE1BQU0sTUFBYyxNQUFNLEVBQUU7QUFDdEMsVUFBTSxRQUFRLE1BQU0sTUFBYyxNQUFNLEVBQUU7QUFDMUMsVUFBTSxNQUFNLEtBQUssS0FBSyxPQUFPLEVBQUU7QUFDL0IsVUFBTSxFQUFFLE9BQU8sTUFBTSxJQUFJLE1BQU0sUUFBUSxDQUFDLENBQUMsQ0FBQztBQUMxQyxnQkFBWSxPQUFPLEdBQUcsZUFBZTtBQUNyQyxnQkFBWSxNQUFNLE1BQU0sS0FBSyxlQUFlO0FBQzVDLGdCQUFZLE1BQU0sS0FBSyxHQUFHLE9BQU8sd0NBQXdDO0FBQ3pFLFVBQU0sTUFBTSxRQUFRO0FBQ3BCLFVBQU0sTUFBTSxLQUFLLEtBQUssT0FBTyxFQUFFO0FBQy9CLFVBQU07QUFDTixnQkFBWSxNQUFNLEtBQUssR0FBRyxNQUFNLCtCQUErQjtBQUFBLEVBQ2pFO0FBQ0EsUUFBTSxNQUFNLFFBQVE7QUFHcEI7QUFDRSxVQUFNLE1BQU0sTUFBTSxNQUFNLElBQUk7QUFDNUIsZ0JBQVksSUFBSSxNQUFNLE1BQU0sTUFBTSxxQkFBcUI7QUFDdkQsZ0JBQVksSUFBSSxNQUFNLE1BQU0sTUFBTSxpQkFBaUI7QUFDbkQsUUFBSSxVQUFVLE1BQU0sT0FBTyxHQUFHO0FBQzVCLFVBQUksT0FBTyxHQUFHO0FBQ1osY0FBTSxJQUFJLEtBQUssVUFBVSxNQUFNLEVBQUU7QUFDakMsY0FBTSxNQUFNLEtBQUssWUFBWSxNQUFNLEVBQUU7QUFBQSxNQUN2QyxPQUFPO0FBQ0wsY0FBTSxJQUFJLE1BQU0sTUFBTSxLQUFLLFlBQVksT0FBTztBQUM5QyxvQkFBWSxFQUFFLE1BQU0sWUFBWSxvREFBb0Q7QUFDcEYsY0FBTSxJQUFJLE1BQU0sSUFBSSxLQUFLLEdBQUcsRUFBRTtBQUM5QixvQkFBWSxFQUFFLE1BQU0sVUFBVSxnREFBZ0Q7QUFBQSxNQUNoRjtBQUFBLElBQ0Y7QUFDQSxVQUFNLElBQUksUUFBUTtBQUFBLEVBQ3BCO0FBQ0EsUUFBTSxNQUFNLFFBQVE7QUFDdEI7IiwKICAibmFtZXMiOiBbXQp9Cg==
