/**
 * The path-cost vocabulary: what a frame pays between two ranks, as a list of
 * stages, each on a named resource. A transport describes its path in these
 * terms (transports/<name>/path.ts); the simulator charges the stages to
 * virtual time, the mapper weighs them, and the live emulation pays them for
 * real. The vocabulary follows SimGrid's habit of one knob per physical
 * mechanism (hosts, links, a CPU per packet), extended with the mechanisms of
 * a virtualised I/O path that no simulator models: a dom0 bridge CPU shared by
 * a host's VMs, VM exits for interrupts, an embedded NIC processor behind a
 * doorbell.
 *
 * A path charges frames, not messages: the eager/rendezvous threshold and the
 * fragment size are the core's choice, so protocols show their real cost.
 *
 * Ground floor: imports nothing above src/errors.
 */
import { MpiError } from "../errors.ts";

/**
 * One step of a frame's journey. The frame occupies `resource` for
 * `perFrame + perByte × bytes` seconds (FIFO: it waits while the resource
 * serves earlier frames), then travels `latency` seconds without occupying
 * anything (propagation, a switch hop, a PCIe traversal) to the next stage.
 */
export interface Stage {
  /** A named, shared resource (see `resourceName`); frames queue on it in FIFO order. */
  readonly resource: string;
  /** The mechanism, by its physical name: "doorbell MMIO", "dom0 bridge", "VF DMA". */
  readonly what: string;
  /** Service time per frame, seconds (per group of `every` frames when batched). */
  readonly perFrame: number;
  /** Service time per byte of the frame, seconds per byte. */
  readonly perByte: number;
  /** Time after service before the next stage, seconds; occupies nothing. */
  readonly latency?: number;
  /**
   * Batching: `perFrame` is paid once per `every` frames on this resource
   * (one doorbell for a post list, one descriptor-fetch DMA for a batch).
   * Latency of a lone frame is unchanged; throughput improves.
   */
  readonly every?: number;
  /**
   * Completion by a coalesced interrupt: a frame waits until `seconds` after
   * the first pending completion or until `frames` completions are pending,
   * then one interrupt (costing `perFrame` on the resource) releases them all.
   */
  readonly coalesce?: { readonly seconds: number; readonly frames: number };
}

/** A path is the ordered stages a frame passes from the sender's memory to the receiver's. */
export type PathCost = readonly Stage[];

/** Where one rank of a pair sits: the placement's host and VM names and the world rank. */
export interface Endpoint {
  readonly rank: number;
  readonly vm: string;
  readonly host: string;
}

/** The two ends of a directed path. */
export interface Pair {
  readonly src: Endpoint;
  readonly dst: Endpoint;
}

/**
 * Resource kinds and the placement level that owns one. Names are
 * `kind@owner`, with an optional `.tx`/`.rx` direction for full-duplex
 * devices, so a trace's counter track reads as the mechanism and its place:
 * `bridge@host1`, `nic@vm5`, `link@host0.tx`.
 */
export const RESOURCE_OWNER = {
  /** A rank's CPU (the thread that runs it): protocol overheads, copies, interrupt handlers. */
  cpu: "rank",
  /** A VM's memory bandwidth: shared-memory copies between its ranks. */
  membw: "vm",
  /** A VM's PCIe attachment: DMA of descriptors and payloads. */
  pcie: "vm",
  /** A VM's (virtual) NIC processor: the embedded core of an intelligent NIC instance. */
  nic: "vm",
  /** A VM's doorbell window (MMIO writes, batched). */
  doorbell: "vm",
  /** A VM's interrupt line: coalescing timer and count. */
  irq: "vm",
  /** The host's privileged domain (Xen dom0): netback and the software bridge, shared by all its VMs. */
  bridge: "host",
  /** A host core dedicated to network protocol work (the host-core alternative to a NIC processor). */
  netcore: "host",
  /** The host's link to the switch; `.tx` and `.rx` are separate (full duplex). */
  link: "host",
} as const;

export type ResourceKind = keyof typeof RESOURCE_OWNER;

/** The name of `kind`'s resource at `end` (and direction, for links). */
export function resourceName(kind: ResourceKind, end: Endpoint, direction?: "tx" | "rx"): string {
  const level = RESOURCE_OWNER[kind];
  const owner = level === "rank" ? `rank${end.rank}` : level === "vm" ? end.vm : end.host;
  return direction ? `${kind}@${owner}.${direction}` : `${kind}@${owner}`;
}

/** Seconds a lone frame of `bytes` spends on `path` when nothing else uses it. */
export function loneFrameSeconds(path: PathCost, bytes: number): number {
  let t = 0;
  for (const s of path) t += s.perFrame + s.perByte * bytes + (s.latency ?? 0) + (s.coalesce && s.coalesce.frames > 1 ? s.coalesce.seconds : 0);
  return t;
}

/**
 * The mechanisms a model gives one number each, by physical name. Units are
 * SI: seconds ("s"), seconds per byte ("s/B"), counts ("frames", "bytes"),
 * or a switch ("0|1"). A preset need not give every mechanism, only those of
 * the transports it describes; asking for a missing one is an error naming it.
 */
export const MECHANISMS = {
  "cpu.send": { unit: "s", doc: "sender CPU per frame: the MPI layer and driver posting it" },
  "cpu.receive": { unit: "s", doc: "receiver CPU per frame: taking it from the ring or queue" },
  "memory.copy": { unit: "s/B", doc: "one memcpy pass per byte on a VM's memory bandwidth" },
  "shm.notify": { unit: "s", doc: "a flag write becoming visible to another core (cache-line transfer)" },
  "link.frame": { unit: "s", doc: "wire time of per-frame framing (preamble, header, gap)" },
  "link.byte": { unit: "s/B", doc: "wire time per byte (line rate)" },
  "link.latency": { unit: "s", doc: "propagation and switch latency, host to host" },
  "pcie.dma": { unit: "s", doc: "start-up of one DMA transfer over PCIe" },
  "pcie.byte": { unit: "s/B", doc: "DMA time per byte over PCIe" },
  "irq.handler": { unit: "s", doc: "interrupt handler entry and exit on the receiving core" },
  "irq.exit": { unit: "s", doc: "added when an interrupt for a guest traps to the hypervisor (VM exit, injection); 0 when posted" },
  "irq.coalesceTime": { unit: "s", doc: "coalescing: raise at most this long after the first pending completion" },
  "irq.coalesceFrames": { unit: "frames", doc: "coalescing: or once this many completions are pending" },
  "completion.poll": { unit: "0|1", doc: "1: the receiver polls its completion queue instead of taking interrupts" },
  "poll.detect": { unit: "s", doc: "a polling receiver noticing a completion" },
  "xen.notify": { unit: "s", doc: "event-channel notification from a guest (hypercall) per frame" },
  "xen.virq": { unit: "s", doc: "virtual interrupt into a guest and the netfront upcall, per frame" },
  "bridge.frame": { unit: "s", doc: "dom0 CPU per packet for one netback and software-bridge traversal" },
  "bridge.byte": { unit: "s/B", doc: "dom0 CPU per byte for one traversal (grant map/copy, per-MTU-packet work)" },
  "doorbell.host": { unit: "s", doc: "host CPU of one MMIO doorbell write" },
  "doorbell.pcie": { unit: "s", doc: "PCIe traversal before the NIC sees a doorbell" },
  "doorbell.batch": { unit: "frames", doc: "work requests posted under one doorbell" },
  "nic.fetch": { unit: "s", doc: "one DMA read fetching a batch of descriptors" },
  "nic.fetchBatch": { unit: "frames", doc: "descriptors fetched by one DMA read" },
  "nic.descriptor": { unit: "s", doc: "NIC-processor work per descriptor (work request) sent" },
  "nic.frame": { unit: "s", doc: "NIC-processor work per packet received (data or ACK)" },
  "nic.mtu": { unit: "bytes", doc: "payload per wire packet: larger frames cost nic.frame per packet" },
  "nic.onHost": { unit: "0|1", doc: "1: the protocol work runs on a dedicated host core per host (netcore), not on the NIC" },
  "machine.cores": {
    unit: "cores",
    doc: "cores one machine gives all the job's ranks (a live emulation's): with more ranks than that, each rank's compute and CPU stages are time-shared, charged × ranks/cores",
  },
} as const;

export type MechanismName = keyof typeof MECHANISMS;

/** A cost model as a path sees it: one number per mechanism. */
export interface CostModel {
  readonly name: string;
  /** The mechanism's number; throws ERR_ARG naming the model and the mechanism when the model lacks it. */
  value(mechanism: MechanismName): number;
  has(mechanism: MechanismName): boolean;
}

/** What a transport exports from its path.ts. */
export type DescribePath = (pair: Pair, model: CostModel) => Stage[];

/** A CostModel over a plain table (presets, calibration, tests). */
export function costModel(name: string, values: Readonly<Partial<Record<MechanismName, number>>>): CostModel {
  return {
    name,
    has: (m) => values[m] !== undefined,
    value(m) {
      const v = values[m];
      if (v === undefined) {
        throw new MpiError(
          "ERR_ARG",
          `model ${name} has no number for mechanism "${m}" (${MECHANISMS[m].doc}); choose a model that describes this transport, or add "${m}" to it`,
        );
      }
      return v;
    },
  };
}
