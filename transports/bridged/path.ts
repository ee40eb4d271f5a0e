/**
 * The bridged path (Xen's split driver): the guest posts the frame to
 * netfront and notifies dom0 over an event channel; dom0's netback and the
 * software bridge handle it on the host's dom0 CPU, which all the host's VMs
 * share; then the wire; then the other host's dom0 does the same in reverse
 * (a grant copy into the guest) and injects a virtual interrupt. Two VMs on
 * one host cross the same dom0 twice (guest → bridge → guest), so co-located
 * VMs still pay the bridge.
 */
import { type CostModel, type Pair, resourceName, type Stage } from "../../src/transport/cost.ts";
import { receiveCpu, sendCpu, wire } from "../../src/transport/stages.ts";

export function describePath(pair: Pair, model: CostModel): Stage[] {
  const frame = model.value("bridge.frame");
  const byte = model.value("bridge.byte");
  return [
    sendCpu(pair.src, model),
    { resource: resourceName("cpu", pair.src), what: "event-channel notify", perFrame: model.value("xen.notify"), perByte: 0 },
    { resource: resourceName("bridge", pair.src), what: "dom0 netback + bridge (transmit)", perFrame: frame, perByte: byte },
    ...wire(pair, model),
    { resource: resourceName("bridge", pair.dst), what: "dom0 netback + bridge (receive, grant copy)", perFrame: frame, perByte: byte },
    { resource: resourceName("cpu", pair.dst), what: "virtual interrupt into the guest", perFrame: model.value("xen.virq"), perByte: 0 },
    receiveCpu(pair.dst, model),
  ];
}
