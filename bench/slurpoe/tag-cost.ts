/**
 * What authenticating a SLURPoE frame costs the NIC, per frame, both ways the
 * design allowed: the per-QP tag it uses (RoCE's Q_Key made a 64-bit random
 * secret: decode the header, compare two words), and a keyed MAC over the
 * whole frame (HMAC-SHA256, node:crypto, the one keyed MAC Node ships), at the
 * sizes the NIC sees (an ACK, a 1500-B and a 9000-B MTU frame). Medians of
 * repeated rounds, beside the profile's own per-frame cost.
 *
 *   node --import tsx bench/slurpoe/tag-cost.ts
 */
import { createHmac, randomBytes } from "node:crypto";
import { decodeHeader, emptyHeader, encodeFrame, FRAME_HEADER_BYTES, Opcode } from "../../transports/slurpoe/codec.ts";
import { profileFromSettings } from "../../transports/slurpoe/settings.ts";
import { median } from "../lib/stats.ts";
import { formatTable } from "../lib/table.ts";

const ROUNDS = 9;

/** Nanoseconds per call of `f`, median of ROUNDS rounds of `n` calls. */
function timePerCall(n: number, f: () => number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) sink += f();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += f();
    rounds.push(Number(process.hrtime.bigint() - t) / n);
  }
  if (sink === 0.5) console.log(sink);
  return median(rounds);
}

const key = randomBytes(16);
const rows: number[][] = [];
const h = emptyHeader();
for (const total of [FRAME_HEADER_BYTES, 1500 - 28, 9000 - 28]) {
  const header = { ...emptyHeader(), opcode: total === FRAME_HEADER_BYTES ? Opcode.ACK : Opcode.SEND, tagHigh: 0x01234567, tagLow: 0x89abcdef };
  const frame = encodeFrame(header, new Uint8Array(total - FRAME_HEADER_BYTES));
  const calls = total > 2000 ? 20_000 : 100_000;
  const tagNs = timePerCall(calls, () => (decodeHeader(frame, h) === undefined && h.tagHigh === 0x01234567 && h.tagLow === 0x89abcdef ? 1 : 0));
  const decodeNs = timePerCall(calls, () => (decodeHeader(frame, h) === undefined ? 1 : 0));
  const macNs = timePerCall(calls / 10, () => createHmac("sha256", key).update(frame).digest()[0]!);
  rows.push([total, decodeNs / 1000, tagNs / 1000, macNs / 1000]);
}
const profile = profileFromSettings({});
console.log(`per-frame cost on the NIC thread, µs (median of ${ROUNDS} rounds); profile ${profile.name} frameUs = ${profile.frameUs}`);
console.log(
  formatTable(
    [{ title: "frame bytes", digits: 0 }, { title: "decode only", digits: 3 }, { title: "decode + tag check", digits: 3 }, { title: "HMAC-SHA256", digits: 2 }],
    rows,
  ),
);
