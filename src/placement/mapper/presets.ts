/**
 * Built-in path costs per inter-VM transport, for `tsmpi map` until the
 * model (src/model, the sim helper's presets) supplies them: one-way
 * small-message latency and bandwidth per level, each number from
 * research/domain-model.md with its source. `--costs FILE` replaces them.
 */
import { MpiError } from "../../errors.ts";
import type { PathCosts } from "./costs.ts";

const US = 1e-6;

/** Same VM: shared memory (order of magnitude: intra-node MPI half round trip ≈ 2 µs, netgauge on NCSA Delta; bandwidth: SimGrid's loopback default 10 GB/s). */
const SHM = { perMessage: 2 * US, perByte: 1 / 10e9 };

/**
 * Xen bridged: 44 µs RTT over the software bridge (Nanos & Koziris, Xen2MX, VHPC'12) → 22 µs one way;
 * bandwidth bounded by the dom0 CPU (Menon et al. ATC'06: guest receive 61 % below native) → ≈ 0.39 × 1.19 GB/s.
 * Half of the one-way time and of the per-byte time is the bridge's CPU, shared by the host's VMs (EST).
 */
export const BRIDGED: PathCosts = {
  transport: "bridged",
  sameVm: SHM,
  sameHost: { perMessage: 11 * US, perByte: 1 / (2 * 0.39 * 1.19e9) },
  otherHost: { perMessage: 11 * US, perByte: 1 / (2 * 0.39 * 1.19e9) },
  shared: [{ name: "bridge", scope: "host", crossedBy: ["sameHost", "otherHost"], perMessage: 5.5 * US, perByte: 1 / (4 * 0.39 * 1.19e9) }],
};

/** SR-IOV VF: 13 µs RTT, 1192 MB/s (Xen2MX IOV figures, VHPC'12 / research.cslab.ece.ntua.gr/xen2mx); no shared CPU on the path. */
export const VF: PathCosts = {
  transport: "vf",
  sameVm: SHM,
  sameHost: { perMessage: 6.5 * US, perByte: 1 / 1.192e9 },
  otherHost: { perMessage: 6.5 * US, perByte: 1 / 1.192e9 },
  shared: [],
};

/**
 * SLURPoE on an intelligent NIC: latency between native MX (≈ 2 µs) and Xen2MX (≈ 7 µs) one way, bandwidth ≤ 1.19 GB/s
 * (domain-model §8 placeholders); the NIC processor spends ≈ 0.6 µs per message (738 cycles at 1.2 GHz, §1d) and is one per VM.
 */
export const SLURPOE: PathCosts = {
  transport: "slurpoe",
  sameVm: SHM,
  sameHost: { perMessage: 4.5 * US, perByte: 1 / 1.19e9 },
  otherHost: { perMessage: 4.5 * US, perByte: 1 / 1.19e9 },
  shared: [{ name: "nic", scope: "vm", crossedBy: ["sameHost", "otherHost"], perMessage: 0.6 * US, perByte: 0 }],
};

export const PATH_COST_PRESETS: Readonly<Record<string, PathCosts>> = { bridged: BRIDGED, vf: VF, slurpoe: SLURPOE };

export function presetCosts(transport: string): PathCosts {
  const c = PATH_COST_PRESETS[transport];
  if (!c)
    throw new MpiError(
      "ERR_PLACEMENT",
      `no built-in path costs for transport "${transport}"; use one of ${Object.keys(PATH_COST_PRESETS).join(", ")} or give --costs FILE`,
    );
  return c;
}
