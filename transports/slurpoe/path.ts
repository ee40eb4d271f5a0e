/**
 * The SLURPoE path through an intelligent NIC: the rank posts a work request
 * and rings a doorbell (an MMIO write, one per `doorbell.batch` requests); the
 * NIC processor fetches descriptors by DMA (one read per `nic.fetchBatch`),
 * works on each, DMA-reads the payload over PCIe and puts it on the wire; the
 * remote NIC processor handles every packet, DMA-writes it into registered
 * memory, and completes it by a coalesced interrupt into the VM or by the
 * rank polling its completion queue. Each frame draws an ACK, charged on both
 * NIC processors (the remote one sends it, ours takes it).
 *
 * With `nic.onHost` the same protocol work runs on one dedicated core per host
 * instead (the research's "can one host core handle network traffic?"): the
 * doorbell and descriptor fetch become shared-memory queue operations whose
 * numbers the model gives, and all the host's VMs share that core.
 */
import { type CostModel, type Endpoint, type Pair, resourceName, type Stage } from "../../src/transport/cost.ts";
import { completion, receiveCpu, sendCpu, wire } from "../../src/transport/stages.ts";

export function describePath(pair: Pair, model: CostModel): Stage[] {
  const onHost = model.has("nic.onHost") && model.value("nic.onHost") === 1;
  const processor = (e: Endpoint): string => (onHost ? resourceName("netcore", e) : resourceName("nic", e));
  const descriptor = model.value("nic.descriptor");
  const frame = model.value("nic.frame");
  // Frames longer than one packet pay the per-packet work per MTU of payload.
  const perPacketByte = frame / model.value("nic.mtu");
  const dma = model.value("pcie.dma");
  const pcieByte = model.value("pcie.byte");
  return [
    sendCpu(pair.src, model),
    {
      resource: resourceName("cpu", pair.src),
      what: "doorbell MMIO write",
      perFrame: model.value("doorbell.host"),
      perByte: 0,
      every: model.value("doorbell.batch"),
    },
    {
      resource: resourceName("doorbell", pair.src),
      what: "doorbell reaching the NIC",
      perFrame: 0,
      perByte: 0,
      latency: model.value("doorbell.pcie"),
      every: model.value("doorbell.batch"),
    },
    { resource: processor(pair.src), what: "descriptor fetch DMA", perFrame: model.value("nic.fetch"), perByte: 0, every: model.value("nic.fetchBatch") },
    // Our NIC also takes the ACK the remote NIC sends for this frame.
    { resource: processor(pair.src), what: "descriptor work + ACK receipt", perFrame: descriptor + frame, perByte: perPacketByte },
    { resource: resourceName("pcie", pair.src), what: "payload DMA read", perFrame: dma, perByte: pcieByte },
    ...wire(pair, model),
    // The remote NIC handles the packet(s) and sends the ACK.
    { resource: processor(pair.dst), what: "per-packet work + ACK send", perFrame: frame + frame, perByte: perPacketByte },
    { resource: resourceName("pcie", pair.dst), what: "DMA into registered memory", perFrame: dma, perByte: pcieByte },
    completion(pair.dst, model),
    receiveCpu(pair.dst, model),
  ];
}
