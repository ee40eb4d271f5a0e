/** The bridged transport's settings. */
import { integerSetting } from "../../src/settings/registry.ts";

export const fragmentBytes = integerSetting({
  key: "bridged.fragmentBytes",
  owner: "bridged",
  default: 256 * 1024,
  min: 1024,
  max: 64 * 1024 * 1024,
  unit: "bytes",
  doc: "payload bytes per rendezvous fragment",
});
export const eagerLimit = integerSetting({
  key: "bridged.eagerLimit",
  owner: "bridged",
  default: 64 * 1024,
  min: 0,
  max: 64 * 1024 * 1024,
  unit: "bytes",
  doc: "largest payload sent eagerly (one frame, no handshake)",
});
// Estimate: 4 MiB keeps a 1 MiB stream pipelined (several fragments in flight) without unbounded buffering.
export const inflightBytes = integerSetting({
  key: "bridged.inflightBytes",
  owner: "bridged",
  default: 4 * 1024 * 1024,
  min: 1,
  unit: "bytes",
  doc: "bytes written to a socket and not yet drained before the transport refuses frames",
});

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
