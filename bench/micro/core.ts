/**
 * Single-process micro-benchmarks of the per-message work in src/core
 * (header encode/decode, payload codec, matching) and of the copy into a
 * SharedArrayBuffer that every shm message pays, aligned and 4 bytes off.
 *
 *   node --import tsx bench/micro/core.ts [--quick] [--out results/micro-core.json]
 */
import { FrameType, type Header, HEADER_BYTES, readHeader, writeHeader } from "../../src/core/frames.ts";
import { MatchingContext, type PostedMatch } from "../../src/core/matching.ts";
import { decodeCopy, encodePayload } from "../../src/core/payload.ts";
import { formatMicro, type MicroResult, runMicro } from "../lib/micro.ts";
import { writeJson } from "../lib/results.ts";
import { scriptCli } from "../lib/cli.ts";

/** Every case, by name; each returns something so the work cannot be optimised away. */
export function coreCases(): Record<string, () => unknown> {
  const view = new DataView(new ArrayBuffer(HEADER_BYTES));
  const header: Header = {
    type: FrameType.EAGER,
    kind: 1,
    flags: 0,
    context: 2,
    source: 1,
    tag: 7,
    sequence: 42,
    totalBytes: 8,
    senderRequest: 3,
    receiverRequest: 0,
    offset: 0,
  };
  const floats = new Float64Array(1024);
  const object = { step: 3, name: "halo", cells: [1, 2, 3, 4], nested: { ok: true } };
  const encodedFloats = encodePayload(floats);
  const encodedObject = encodePayload(object);

  const ctx = new MatchingContext<PostedMatch>(0, 64);
  for (let s = 0; s < 64; s++) ctx.post({ source: s, tag: 5 });

  const sab = new Uint8Array(new SharedArrayBuffer((64 << 10) + 64));
  const payload = new Uint8Array(64 << 10);

  return {
    "header write + read (40 B)": () => {
      writeHeader(view, 0, header);
      return readHeader(view, 0).sequence;
    },
    "encode Float64Array(1024) (raw view)": () => encodePayload(floats).bytes.byteLength,
    "encode small object (msgpackr)": () => encodePayload(object).bytes.byteLength,
    "decodeCopy Float64Array(1024)": () => (decodeCopy(encodedFloats.kind, encodedFloats.bytes) as Float64Array).length,
    "decodeCopy small object": () => decodeCopy(encodedObject.kind, encodedObject.bytes),
    "match: first of 64 posted": () => {
      const p = ctx.takePosted(0, 5)!;
      ctx.post(p);
      return p;
    },
    "match: last of 64 posted": () => {
      const p = ctx.takePosted(63, 5)!;
      ctx.post(p);
      return p;
    },
    "copy 64 KiB into SAB, 8-aligned": () => {
      sab.set(payload, 48);
      return sab[48];
    },
    "copy 64 KiB into SAB, 4 off alignment": () => {
      sab.set(payload, 44);
      return sab[44];
    },
  };
}

export async function runCoreMicro(quick: boolean): Promise<MicroResult> {
  return runMicro("tsmpi core, per message", coreCases(), quick ? { maxTime: 0.2, minTime: 0.05 } : {});
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values: v } = scriptCli("node --import tsx bench/micro/core.ts [--quick] [--out results/micro-core.json]", {
    quick: { type: "boolean" },
    out: { type: "string" },
  });
  const result = await runCoreMicro(Boolean(v.quick));
  console.log(formatMicro(result));
  if (v.out) writeJson(v.out, result);
}
