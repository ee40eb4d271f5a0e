/** The vf transport's settings. */
import { integerSetting } from "../../src/settings/registry.ts";

export const fragmentBytes = integerSetting({
  key: "vf.fragmentBytes",
  owner: "vf",
  default: 256 * 1024,
  min: 1024,
  max: 64 * 1024 * 1024,
  unit: "bytes",
  doc: "payload bytes per rendezvous fragment",
});
export const eagerLimit = integerSetting({
  key: "vf.eagerLimit",
  owner: "vf",
  default: 64 * 1024,
  min: 0,
  max: 64 * 1024 * 1024,
  unit: "bytes",
  doc: "largest payload sent eagerly (one frame, no handshake)",
});
// Estimate: 4 MiB keeps a 1 MiB stream pipelined (several fragments in flight) without unbounded buffering.
export const inflightBytes = integerSetting({
  key: "vf.inflightBytes",
  owner: "vf",
  default: 4 * 1024 * 1024,
  min: 1,
  unit: "bytes",
  doc: "bytes written to a socket and not yet drained before the transport refuses frames",
});

export const vfSettings = [fragmentBytes, eagerLimit, inflightBytes];
