/** The bridged transport's settings (the socket transports' common ones: transports/stream/settings.ts). */
import { integerSetting } from "../../src/settings/registry.ts";
import { streamSettings } from "../stream/settings.ts";

export const { fragmentBytes, eagerLimit, inflightBytes } = streamSettings("bridged");

/** Read by the bridge process (the host's privileged domain), not by the ranks. */
export const queueBytes = integerSetting({
  key: "bridged.queueBytes",
  owner: "bridged",
  default: 4 * 1024 * 1024,
  min: 1,
  unit: "bytes",
  doc: "bytes a bridge port may queue toward one VM before it stops reading from senders",
});
export const holdBytes = integerSetting({
  key: "bridged.holdBytes",
  owner: "bridged",
  default: 64 * 1024 * 1024,
  min: 1,
  unit: "bytes",
  doc: "bytes a bridge holds for VMs not yet connected before it stops reading from the senders",
});

export const holdMs = integerSetting({
  key: "bridged.holdMs",
  owner: "bridged",
  default: 60_000,
  min: 100,
  unit: "ms",
  doc: "how long a bridge holds a frame for a VM that has not connected before it fails the job",
});

export const bridgedSettings = [fragmentBytes, eagerLimit, inflightBytes, queueBytes, holdBytes, holdMs];
