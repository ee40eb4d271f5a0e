/**
 * The SLURPoE transport's settings: the NIC profile and its per-field
 * overrides (`nic.*`), the emulated wire's faults (`wire.*`) and the host
 * queue sizes (`slurpoe.*`). The `tsmpi run` sugar flags (`--nic`,
 * `--nic-mode`, `--doorbell-batch`, `--coalesce-us`, …) are declared here.
 */
import { choiceSetting, integerSetting, numberSetting, type Setting } from "../../src/settings/registry.ts";
import { type NicMode, type NicProfile, profiles } from "./profiles.ts";

export const profile = choiceSetting({
  key: "nic.profile",
  owner: "slurpoe",
  default: "inic-10g",
  choices: Object.keys(profiles),
  flag: "nic",
  doc: "the NIC profile: what each mechanism of the intelligent NIC costs",
});
export const mode = choiceSetting({
  key: "nic.mode",
  owner: "slurpoe",
  default: "interrupt",
  choices: ["interrupt", "poll"] as const,
  flag: "nic-mode",
  doc: "how completions reach the host: coalesced interrupts or polling",
});
export const doorbellBatch = integerSetting({
  key: "nic.doorbellBatch",
  owner: "slurpoe",
  default: 1,
  min: 1,
  max: 1024,
  flag: "doorbell-batch",
  doc: "work requests posted per doorbell (one MMIO write and one descriptor fetch per batch)",
});

type Field = Exclude<keyof NicProfile, "name">;
/** Unit, bounds, doc and sugar flag of every profile field that `--set nic.<field>=` overrides. */
const FIELDS: Record<Field, { unit: string; doc: string; min?: number; max?: number; integer?: boolean; flag?: string }> = {
  doorbellHostUs: { unit: "µs", doc: "host CPU time of one MMIO doorbell write" },
  doorbellNicUs: { unit: "µs", doc: "time until the NIC processor sees a doorbell" },
  descriptorFetchUs: { unit: "µs", doc: "one DMA read fetching a batch of descriptors" },
  descriptorFetchBatch: { unit: "descriptors", doc: "most descriptors fetched by one DMA read", min: 1, integer: true },
  descriptorUs: { unit: "µs", doc: "NIC processor time per work request" },
  frameUs: { unit: "µs", doc: "NIC processor time per received frame" },
  dmaSetupUs: { unit: "µs", doc: "start-up of one DMA transfer over PCIe" },
  dmaGBps: { unit: "GB/s", doc: "payload DMA rate over PCIe", min: 0.001 },
  lineRateGbps: { unit: "Gb/s", doc: "wire line rate", min: 0.001 },
  mtu: { unit: "bytes", doc: "Ethernet MTU (one SLURPoE frame per datagram)", min: 256, max: 65000, integer: true },
  interruptNativeUs: { unit: "µs", doc: "host CPU per interrupt, bare metal" },
  interruptVmUs: { unit: "µs", doc: "host CPU per interrupt into a VM (exit and injection)" },
  virtualized: { unit: "0|1", doc: "1 when ranks run in VMs (interrupts cost interruptVmUs)", max: 1, integer: true },
  coalesceUs: { unit: "µs", doc: "interrupt coalescing delay from the first pending completion", flag: "coalesce-us" },
  coalesceFrames: { unit: "completions", doc: "interrupt after this many completions", min: 1, integer: true, flag: "coalesce-frames" },
  registerUs: { unit: "µs", doc: "registering (pinning) a memory region" },
  window: { unit: "packets", doc: "unacknowledged packets per queue pair (go-back-N)", min: 2, max: 1 << 20, integer: true },
  retransmitMs: { unit: "ms", doc: "retransmission timeout (doubles per timeout, up to 8×)" },
  idlePollUs: { unit: "µs", doc: "how long the NIC thread polls after work before it sleeps" },
};

/** One override per profile field (its default is the chosen profile's value). */
export const profileFields: readonly (Setting<number> & { field: Field })[] = (Object.keys(FIELDS) as Field[]).map((field) => {
  const f = FIELDS[field];
  const common = {
    key: `nic.${field}`,
    owner: "slurpoe",
    unit: f.unit,
    doc: f.doc,
    flag: f.flag,
    min: f.min ?? 0,
    max: f.max,
    defaultText: "from nic.profile",
  };
  return { ...(f.integer ? integerSetting(common) : numberSetting(common)), field };
});

const probability = (key: string, flag: string, doc: string) =>
  numberSetting({ key, owner: "slurpoe", default: 0, min: 0, max: 0.999999, unit: "probability", flag, doc });
export const loss = probability("wire.loss", "wire-loss", "chance the emulated wire drops a datagram");
export const dup = probability("wire.dup", "wire-dup", "chance the emulated wire duplicates a datagram");
export const reorder = probability("wire.reorder", "wire-reorder", "chance the emulated wire delays a datagram behind the next");
export const seed = integerSetting({
  key: "wire.seed",
  owner: "slurpoe",
  default: 1,
  flag: "seed",
  doc: "seed of the wire's fault generator and the NIC's keys",
});

const size = (key: string, unit: string, defaultText: string, doc: string) => integerSetting({ key, owner: "slurpoe", min: 1, unit, defaultText, doc });
export const eagerLimit = integerSetting({
  key: "slurpoe.eagerLimit",
  owner: "slurpoe",
  default: 8192,
  min: 64,
  unit: "bytes",
  doc: "largest payload sent eagerly",
});
export const landingBytes = size(
  "slurpoe.landingBytes",
  "bytes",
  "512 KiB up to 8 ranks, 256 KiB to 32, 128 KiB above",
  "landing ring per queue pair (a power of two)",
);
export const receiveDepth = size("slurpoe.receiveDepth", "requests", "32 up to 8 ranks, 16 to 32, 8 above", "receives posted per queue pair");
export const sendDepth = integerSetting({ key: "slurpoe.sendDepth", owner: "slurpoe", default: 128, min: 1, unit: "requests", doc: "send queue depth" });
export const stagingBytes = size(
  "slurpoe.stagingBytes",
  "bytes",
  "256 KiB up to 8 ranks, 128 KiB to 32, 64 KiB above",
  "staging memory per queue pair for outgoing sends",
);

export const slurpoeSettings: readonly Setting[] = [
  profile,
  mode,
  doorbellBatch,
  ...profileFields,
  loss,
  dup,
  reorder,
  seed,
  eagerLimit,
  landingBytes,
  receiveDepth,
  sendDepth,
  stagingBytes,
];

/** The profile named by nic.profile with `nic.<field>` overrides applied. */
export function profileFromSettings(settings: Readonly<Record<string, string>>): NicProfile {
  const p: NicProfile = { ...profiles[profile.read(settings)]! };
  for (const f of profileFields) {
    const v = f.given(settings);
    if (v !== undefined) p[f.field] = v;
  }
  return p;
}

export function modeFromSettings(settings: Readonly<Record<string, string>>): NicMode {
  return mode.read(settings);
}

export function doorbellBatchFromSettings(settings: Readonly<Record<string, string>>): number {
  return doorbellBatch.read(settings);
}
