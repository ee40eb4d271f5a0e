/**
 * Stages several paths share: the CPUs at either end, the wire between two
 * hosts, and how a receiver learns of a completion (interrupt, possibly
 * coalesced and trapping to the hypervisor, or polling). Each transport's
 * path.ts composes these with its own mechanisms.
 */
import { type CostModel, type Endpoint, type Pair, resourceName, type Stage } from "./cost.ts";

/** The sender's CPU posting a frame. */
export function sendCpu(src: Endpoint, model: CostModel): Stage {
  return { resource: resourceName("cpu", src), what: "send overhead", perFrame: model.value("cpu.send"), perByte: 0 };
}

/** The receiver's CPU taking a frame. */
export function receiveCpu(dst: Endpoint, model: CostModel): Stage {
  return { resource: resourceName("cpu", dst), what: "receive overhead", perFrame: model.value("cpu.receive"), perByte: 0 };
}

/**
 * Host to host through one switch, store and forward: the frame is
 * serialised on the sending host's link and again on the receiving host's
 * (full duplex, so each direction is its own resource). Same host: no wire.
 */
export function wire(pair: Pair, model: CostModel): Stage[] {
  if (pair.src.host === pair.dst.host) return [];
  const perFrame = model.value("link.frame");
  const perByte = model.value("link.byte");
  return [
    { resource: resourceName("link", pair.src, "tx"), what: "link (send)", perFrame, perByte, latency: model.value("link.latency") },
    { resource: resourceName("link", pair.dst, "rx"), what: "link (switch to host)", perFrame, perByte },
  ];
}

/**
 * How the receiving rank learns a frame landed: by polling its completion
 * queue, or by an interrupt into its VM (a VM exit unless the model's
 * interrupts are posted), coalesced by timer and count.
 */
export function completion(dst: Endpoint, model: CostModel): Stage {
  if (model.has("completion.poll") && model.value("completion.poll") === 1) {
    return { resource: resourceName("cpu", dst), what: "completion by polling", perFrame: model.value("poll.detect"), perByte: 0 };
  }
  const seconds = model.has("irq.coalesceTime") ? model.value("irq.coalesceTime") : 0;
  const frames = model.has("irq.coalesceFrames") ? Math.max(1, Math.floor(model.value("irq.coalesceFrames"))) : 1;
  const exit = model.value("irq.exit");
  return {
    resource: resourceName("irq", dst),
    what: exit > 0 ? "interrupt (VM exit and injection)" : "interrupt",
    perFrame: model.value("irq.handler") + exit,
    perByte: 0,
    coalesce: seconds > 0 && frames > 1 ? { seconds, frames } : undefined,
  };
}
