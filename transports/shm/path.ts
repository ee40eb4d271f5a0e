/**
 * The shared-memory path between two ranks of one VM: the sender copies the
 * frame into the ring, the receiver copies it out, both passes on the VM's
 * memory bandwidth (shared by all its ranks), and a flag write tells the
 * receiver. Large messages in the live transport are copied once
 * (single-copy rendezvous); the frames the simulator charges are the core's
 * fragments, two passes each.
 */
import { type CostModel, type Pair, resourceName, type Stage } from "../../src/transport/cost.ts";
import { receiveCpu, sendCpu } from "../../src/transport/stages.ts";

export function describePath(pair: Pair, model: CostModel): Stage[] {
  const copy = model.value("memory.copy");
  const membw = resourceName("membw", pair.src);
  return [
    sendCpu(pair.src, model),
    { resource: membw, what: "copy into the ring", perFrame: 0, perByte: copy, latency: model.value("shm.notify") },
    { resource: membw, what: "copy out of the ring", perFrame: 0, perByte: copy },
    receiveCpu(pair.dst, model),
  ];
}
