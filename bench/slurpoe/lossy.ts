/**
 * The lossy-wire check at full size: 10^5 messages of random sizes
 * (0 B - 256 KiB) between 4 ranks, each in its own VM (every pair over
 * slurpoe), on a wire with loss 0.1, duplication 0.05 and reordering 0.05.
 * Every message must arrive exactly once, in order, byte for byte; the NIC
 * counters show the repair work. Writes results/slurpoe/lossy.json.
 *
 *   npx tsx bench/slurpoe/lossy.ts [--messages N] [--max-bytes B] [--loss P --dup P --reorder P] [--seed S] [--mode interrupt|poll]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launch } from "../../src/launcher/launch.ts";
import { slurpoePlacement } from "../../test/transports/slurpoe/placement.ts";
import { scriptCli } from "../lib/cli.ts";
import type { LossyResult } from "./lossy-program.ts";

const { values } = scriptCli(
  "npx tsx bench/slurpoe/lossy.ts [--messages N] [--max-bytes B] [--loss P --dup P --reorder P] [--seed S] [--mode interrupt|poll] [--np 4]",
  {
    messages: { type: "string", default: "100000" },
    "max-bytes": { type: "string", default: String(256 * 1024) },
    loss: { type: "string", default: "0.1" },
    dup: { type: "string", default: "0.05" },
    reorder: { type: "string", default: "0.05" },
    seed: { type: "string", default: "1" },
    mode: { type: "string", default: "interrupt" },
    np: { type: "string", default: "4" },
  },
);
const np = Number(values.np);
const settings = {
  "wire.loss": values.loss!,
  "wire.dup": values.dup!,
  "wire.reorder": values.reorder!,
  "wire.seed": values.seed!,
  "nic.mode": values.mode!,
};
const program = fileURLToPath(new URL("./lossy-program.ts", import.meta.url));
const started = performance.now();
const r = await launch({
  np,
  program,
  args: [values.messages!, values["max-bytes"]!, "16"],
  engine: "live",
  placement: slurpoePlacement(np, np),
  settings,
  stdout: (l) => console.log(l),
  stderr: (l) => console.error(l),
});
const seconds = (performance.now() - started) / 1000;
if (!r.ok) {
  console.error(`FAILED: ${r.failure}`);
  process.exit(1);
}
const ranks = r.ranks.map((x) => x.value as LossyResult);
const sum = (k: string): number => {
  let s = 0;
  for (const perTransport of Object.values(r.stats?.ranks ?? {})) s += perTransport.slurpoe?.[k] ?? 0;
  return s;
};
const counters = Object.fromEntries(
  [
    "nic.framesSent",
    "nic.retransmissions",
    "nic.timeouts",
    "nic.tailProbes",
    "nic.naksSent",
    "nic.duplicatesSuppressed",
    "nic.outOfOrder",
    "nic.wireDropped",
    "nic.wireDuplicated",
    "nic.wireReordered",
    "nic.rejected",
    "doorbellsRung",
    "nic.interruptsRaised",
  ].map((k) => [k, sum(k)]),
);
const sent = ranks.reduce((s, x) => s + x.sent, 0);
const received = ranks.reduce((s, x) => s + x.received, 0);
const bytes = ranks.reduce((s, x) => s + x.bytes, 0);
console.log(`${sent} messages sent, ${received} received exactly once in order and intact, ${(bytes / 1e6).toFixed(1)} MB, ${seconds.toFixed(1)} s`);
for (const [k, v] of Object.entries(counters)) console.log(`  ${k.padEnd(28)} ${v}`);
const out = fileURLToPath(new URL("../../results/slurpoe/lossy.json", import.meta.url));
mkdirSync(fileURLToPath(new URL("../../results/slurpoe/", import.meta.url)), { recursive: true });
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), np, settings, messages: sent, received, bytes, seconds, counters, ranks }, null, 2)}\n`);
if (sent !== received) process.exit(1);
