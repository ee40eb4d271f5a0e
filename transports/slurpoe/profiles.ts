/**
 * NIC profiles: what each mechanism of an intelligent NIC costs. The NIC
 * thread pays these costs for real (busy-waits), so wall-clock benchmarks show
 * them. Every default names its source (../../../shared/research/domain-model.md,
 * "DM §x" below) or says "estimate".
 *
 * Any field can be overridden with `--set nic.<field>=<value>`; settings.ts
 * declares every key and its sugar flag (`--nic`, `--coalesce-us`, …).
 */

export interface NicProfile {
  /** Profile name (`--nic`). */
  name: string;
  /** Host CPU time of one MMIO doorbell write, µs (paid by the rank thread). */
  doorbellHostUs: number;
  /** Time from the doorbell write until the NIC processor sees it, µs (paid by the NIC thread). */
  doorbellNicUs: number;
  /** One DMA read that fetches a batch of descriptors, µs. */
  descriptorFetchUs: number;
  /** Most descriptors fetched by one DMA read. */
  descriptorFetchBatch: number;
  /** Embedded-processor time per descriptor (work request), µs. */
  descriptorUs: number;
  /** Embedded-processor time per received frame, µs. */
  frameUs: number;
  /** Start-up of one DMA transfer over PCIe, µs. */
  dmaSetupUs: number;
  /** Payload DMA rate over PCIe, GB/s (10^9 bytes/s). */
  dmaGBps: number;
  /** Wire line rate, Gb/s. */
  lineRateGbps: number;
  /** Ethernet MTU in bytes (the IP datagram); one SLURPoE frame per datagram. */
  mtu: number;
  /** Interrupt delivery to a native host, µs of host CPU (handler entry). */
  interruptNativeUs: number;
  /** Interrupt delivery into a VM (VM exit, virtual interrupt injection), µs of host CPU. */
  interruptVmUs: number;
  /** 1 when ranks run inside VMs (interrupts pay interruptVmUs), 0 for native. */
  virtualized: number;
  /** Interrupt coalescing: raise after this many µs from the first pending completion ... */
  coalesceUs: number;
  /** ... or after this many completions, whichever comes first. */
  coalesceFrames: number;
  /** Registering a memory region (translate and pin pages), µs of host CPU. */
  registerUs: number;
  /** Unacknowledged packets per queue pair (go-back-N window). */
  window: number;
  /** Retransmission timeout, ms (doubles on each timeout, up to 8×). */
  retransmitMs: number;
  /** How long the NIC thread keeps polling its doorbells after work before it sleeps, µs. */
  idlePollUs: number;
}

export type NicMode = "interrupt" | "poll";

/**
 * iNIC 10GbE: an embedded XScale-class I/O processor (IOP34x, 800-1200 MHz)
 * on a 10GbE adapter with PCIe gen1 x8, as in the SLURPoE prototype (DM §1d).
 */
export const inic10g: NicProfile = {
  name: "inic-10g",
  // Estimate: posted MMIO write, CPU side 0.05-0.1 µs (DM §8 "Doorbell MMIO write").
  doorbellHostUs: 0.1,
  // Estimate: PCIe traversal before the NIC sees it, 0.25-0.5 µs (DM §2 "MMIO doorbell write cost").
  doorbellNicUs: 0.5,
  // ≈0.3 µs per descriptor DMA read avoided (DM §2, mlx5e BlueFlame commit 88a85f99e51f; per-read figure EST).
  // A PCI-X/gen1-era board is slower to start a DMA read: ≈450 ns (DM §2, Myricom PCI-X); we take 0.45.
  descriptorFetchUs: 0.45,
  // The 82599 fetches up to 40 descriptors per DMA read (DM §2, pcie-model niantic.py); we fetch up to 32.
  descriptorFetchBatch: 32,
  // Estimate: per-descriptor cost on the XScale is not published; DM §8 places it at 0.3-1 µs
  // (400-1200 cycles at 1.2 GHz), against a line-rate budget of ≈738 cycles per MTU frame (DM §1d).
  descriptorUs: 0.6,
  // Estimate: receive-side per-frame firmware work, half a descriptor's (header parse + placement setup).
  frameUs: 0.3,
  // ≈60 PCI-X clocks ≈ 450 ns before a DMA read starts (DM §2, myri.com PCIX_motherboards; ns figure EST).
  dmaSetupUs: 0.45,
  // Estimate from DM §2: PCIe gen1 x8 = 8 × 2 Gb/s = 2 GB/s raw data; 24-B TLP overhead per 256-B payload
  // leaves ≈1.8 GB/s; PCI-X DMA measured 0.72-1.04 GB/s. The IOP34x has PCIe x8: we take 1.6 GB/s.
  dmaGBps: 1.6,
  // 10GbE (DM §2 "Wire time at 10 Gb/s": 0.8 ns/B).
  lineRateGbps: 10,
  // Jumbo frames (DM §1d budget row uses 9018-B frames as the other case); `--set nic.mtu=1500` for standard.
  mtu: 9000,
  // Estimate: no absolute interrupt-delivery figure was found (DM §2 "Interrupt delivery in a VM vs. native").
  interruptNativeUs: 2,
  // Estimate: DID cuts interrupt invocation latency by 80% (DM §1c), so the virtualized path is ≈5× native.
  interruptVmUs: 10,
  virtualized: 1,
  // mlx5 RX CQ moderation 16 µs / 32 packets (DM §2 "Default coalescing: Mellanox mlx5"); the Open-MX FAQ
  // recommends 5-20 µs (DM §2 "Interrupt coalescing effect").
  coalesceUs: 16,
  coalesceFrames: 32,
  // Estimate: page translation + pinning of a few pages; no source in DM.
  registerUs: 5,
  // Estimate: enough packets in flight to cover a loopback round trip at line rate.
  window: 64,
  // Estimate: a few loopback round trips plus scheduling noise on a shared 2-core machine.
  retransmitMs: 4,
  // Estimate: firmware polls its mailbox; we poll briefly before sleeping to bound idle CPU.
  idlePollUs: 20,
};

/** A modern ASIC NIC for contrast: hardware descriptor engine, PCIe gen3, adaptive coalescing (off at low rate). */
export const fastNic: NicProfile = {
  ...inic10g,
  name: "fast-nic",
  // Estimate: DM §8 CPU-side MMIO ≈0.05 µs; the NIC-side traversal at the low end of 0.25-0.5 µs.
  doorbellHostUs: 0.05,
  doorbellNicUs: 0.25,
  // ≈0.3 µs per descriptor DMA read (DM §2, mlx5e BlueFlame commit; EST per read).
  descriptorFetchUs: 0.3,
  // 82599: up to 40 descriptors per DMA read (DM §2, pcie-model niantic.py).
  descriptorFetchBatch: 40,
  // Estimate: a hardware pipeline, ≈40 cycles at 1.2 GHz (the 64-B line-rate budget of DM §1d).
  descriptorUs: 0.03,
  frameUs: 0.03,
  // Estimate: half the PCI-X-era start-up (DM §2), gen3 links are faster.
  dmaSetupUs: 0.2,
  // Gen3 x8: ≈32-50 Gb/s for data transfers (DM §2, Neugebauer SIGCOMM'18): we take 32 Gb/s = 4 GB/s.
  dmaGBps: 4,
  // 25GbE kernel-bypass adapters (DM §2, AMD Onload latency table).
  lineRateGbps: 25,
  // Adaptive coalescing is off below ~150k-400k packets/s (DM §2: Open-MX FAQ, mlx4 adaptive 0 µs).
  coalesceUs: 0,
  coalesceFrames: 1,
  // Estimate: same interrupt path as inic-10g (the host, not the NIC, pays it).
  registerUs: 2,
};

/**
 * The iNIC used from a guest through Xen's split-driver model (DM §1d: the SLURPoE prototype ran natively
 * and inside Xen's split-driver model): the doorbell page is not mapped into the guest, so every doorbell
 * is a trap to the hypervisor.
 */
export const inic10gXen: NicProfile = {
  ...inic10g,
  name: "inic-10g-xen",
  // Estimate: one VM exit per doorbell, 1,000-10,000 cycles (DM §1c "Cost of one VM exit", low confidence);
  // at 2-3 GHz that is 0.3-5 µs: we take 3.
  doorbellHostUs: 3,
};

export const profiles: Record<string, NicProfile> = { "inic-10g": inic10g, "inic-10g-xen": inic10gXen, "fast-nic": fastNic };

/** Interrupt handling cost the host pays per interrupt, µs. */
export function interruptUs(p: NicProfile): number {
  return p.virtualized ? p.interruptVmUs : p.interruptNativeUs;
}
