/** The settings every socket transport (vf, bridged) declares under its own name: frame sizes and the in-flight bound. */
import { integerSetting } from "../../src/settings/registry.ts";

export function streamSettings(owner: string) {
  return {
    fragmentBytes: integerSetting({
      key: `${owner}.fragmentBytes`,
      owner,
      default: 256 * 1024,
      min: 1024,
      max: 64 * 1024 * 1024,
      unit: "bytes",
      doc: "payload bytes per rendezvous fragment",
    }),
    eagerLimit: integerSetting({
      key: `${owner}.eagerLimit`,
      owner,
      default: 64 * 1024,
      min: 0,
      max: 64 * 1024 * 1024,
      unit: "bytes",
      doc: "largest payload sent eagerly (one frame, no handshake)",
    }),
    // Estimate: 4 MiB keeps a 1 MiB stream pipelined (several fragments in flight) without unbounded buffering.
    inflightBytes: integerSetting({
      key: `${owner}.inflightBytes`,
      owner,
      default: 4 * 1024 * 1024,
      min: 1,
      unit: "bytes",
      doc: "bytes written to a socket and not yet drained before the transport refuses frames",
    }),
  };
}
