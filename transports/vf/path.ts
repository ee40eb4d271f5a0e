/**
 * The virtual-function path (SR-IOV): the guest owns a VF, so the data path
 * skips the hypervisor: the VF DMA-reads the frame, the wire carries it, the
 * remote VF DMA-writes it into the guest. What remains virtualised is the
 * interrupt: a VM exit and injection per interrupt unless interrupts are
 * posted (ELI, DID), which the model's `irq.exit` says.
 */
import { type CostModel, type Pair, resourceName, type Stage } from "../../src/transport/cost.ts";
import { completion, receiveCpu, sendCpu, wire } from "../../src/transport/stages.ts";

export function describePath(pair: Pair, model: CostModel): Stage[] {
  const dma = model.value("pcie.dma");
  const byte = model.value("pcie.byte");
  return [
    sendCpu(pair.src, model),
    { resource: resourceName("pcie", pair.src), what: "VF DMA read (descriptor + payload)", perFrame: 2 * dma, perByte: byte },
    ...wire(pair, model),
    { resource: resourceName("pcie", pair.dst), what: "VF DMA write into the guest", perFrame: dma, perByte: byte },
    completion(pair.dst, model),
    receiveCpu(pair.dst, model),
  ];
}
