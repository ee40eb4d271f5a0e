/**
 * Charging a frame on its path: the frame passes the stages in order, store
 * and forward (all of it leaves one stage before the next starts), waiting
 * on each stage's resource behind earlier frames. Consecutive frames pipeline:
 * while frame k is on the link, frame k+1 can be on the sender's DMA.
 *
 * A path is charged in two parts. The sender's part runs when the sender
 * emits the frame; the receiver's part (its interrupt line, its CPU) runs when
 * the simulator's clock reaches the frame's arrival there, so the receiver's
 * resources see frames in time order, interleaved correctly with the
 * receiver's own sends.
 */
import type { Endpoint, Pair, PathCost, Stage } from "../transport/cost.ts";
import type { Resource, Resources } from "./resources.ts";

/** A stage bound to its resource, with its batching counter (batches are per path: one queue pair). */
interface BoundStage {
  readonly stage: Stage;
  readonly resource: Resource;
  readonly perFrame: number;
  readonly perByte: number;
  readonly latency: number;
  readonly every: number;
  count: number;
}

export class CompiledPath {
  readonly stages: readonly BoundStage[];
  /** Index of the first stage charged when the frame reaches the receiver. */
  readonly split: number;

  constructor(path: PathCost, resources: Resources, split: number) {
    this.stages = path.map((stage) => ({
      stage,
      resource: resources.get(stage.resource),
      perFrame: stage.perFrame,
      perByte: stage.perByte,
      latency: stage.latency ?? 0,
      every: stage.every && stage.every > 1 ? Math.floor(stage.every) : 1,
      count: 0,
    }));
    this.split = split;
  }

  /** Charge stages [from, to) to a frame of `bytes` entering at `t`; returns when it leaves the last one. */
  charge(t: number, bytes: number, from = 0, to = this.stages.length): number {
    const stages = this.stages;
    for (let i = from; i < to; i++) {
      const s = stages[i]!;
      if (s.stage.coalesce) {
        t = coalesced(s, t) + s.latency;
        continue;
      }
      let perFrame = s.perFrame;
      if (s.every > 1) {
        // One doorbell (or descriptor fetch) serves `every` frames: the first pays.
        if (s.count++ % s.every !== 0) perFrame = 0;
      }
      t = s.resource.serve(t, perFrame + s.perByte * bytes) + s.latency;
    }
    return t;
  }

  /** The sender's part: from the sender's memory to the receiver's doorstep. */
  send(t: number, bytes: number): number {
    return this.charge(t, bytes, 0, this.split);
  }

  /** The receiver's part, charged at the time the frame reaches it. */
  receive(t: number, bytes: number): number {
    return this.charge(t, bytes, this.split, this.stages.length);
  }
}

/**
 * A completion behind a coalesced interrupt: it joins the open batch unless
 * that batch already fired or is full; a new batch fires `seconds` after its
 * first completion (at once when `frames` is 1) and its handler runs on the
 * resource. Every frame of a batch leaves when the handler ends, so frames
 * never overtake one another. A batch that fills before its timer still waits
 * for the timer here (an overestimate bounded by `seconds`): releasing it
 * early would reorder frames already charged.
 */
function coalesced(s: BoundStage, t: number): number {
  const r = s.resource;
  const c = s.stage.coalesce!;
  if (t > r.batchFire || r.batchPending >= c.frames) {
    const fire = c.frames <= 1 ? t : t + c.seconds;
    r.batchFire = fire;
    r.batchPending = 1;
    r.interrupts++;
    r.batchDone = r.serve(fire, s.perFrame);
    return r.batchDone;
  }
  r.batchPending++;
  return r.batchDone;
}

/** The placement owner in a resource name: `nic@vm5.tx` → `vm5`. */
export function ownerOf(resource: string): string {
  const owner = resource.slice(resource.indexOf("@") + 1);
  return owner.endsWith(".tx") || owner.endsWith(".rx") ? owner.slice(0, -3) : owner;
}

/**
 * Where the receiver's part of a path starts: the trailing stages on
 * resources owned by the destination alone (its rank's CPU, its VM's
 * interrupt line and NIC). Everything before, including host-level resources
 * (links, the bridge), is charged with the sender's part.
 */
export function receiverSplit(path: PathCost, pair: Pair): number {
  const owns = (e: Endpoint, owner: string): boolean => owner === `rank${e.rank}` || owner === e.vm;
  let split = path.length;
  for (let i = path.length - 1; i >= 0; i--) {
    const owner = ownerOf(path[i]!.resource);
    if (!owns(pair.dst, owner) || owns(pair.src, owner)) break;
    split = i;
  }
  return split;
}
