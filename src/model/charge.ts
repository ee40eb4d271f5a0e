/**
 * Charging a frame on its path: the frame passes the stages in order, store
 * and forward (all of it leaves one stage before the next starts), waiting
 * on each stage's resource behind earlier frames. Consecutive frames pipeline:
 * while frame k is on the link, frame k+1 can be on the sender's DMA.
 *
 * A path is charged in segments, one per place the frame passes: the
 * sender's side (its CPU, VM and host), the receiving host (its link, its
 * dom0), the receiving VM and rank. Each segment is charged when the
 * simulator's clock reaches the frame's arrival there, so a shared resource
 * (a host's bridge, a receiver's CPU) sees frames from different senders in
 * time order rather than in the order their senders happened to run.
 */
import type { Pair, PathCost, Stage } from "../transport/cost.ts";
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
  /** Where each segment starts (stage indices, ascending, the first 0), and the path's length at the end. */
  readonly bounds: readonly number[];

  constructor(path: PathCost, resources: Resources, bounds: readonly number[] = [0, path.length]) {
    this.stages = path.map((stage) => ({
      stage,
      resource: resources.get(stage.resource),
      perFrame: stage.perFrame,
      perByte: stage.perByte,
      latency: stage.latency ?? 0,
      every: stage.every && stage.every > 1 ? Math.floor(stage.every) : 1,
      count: 0,
    }));
    this.bounds = bounds;
  }

  get segments(): number {
    return this.bounds.length - 1;
  }

  /** Charge segment `seg` to a frame of `bytes` reaching it at `t`; returns when it leaves. */
  segment(seg: number, t: number, bytes: number): number {
    return this.charge(t, bytes, this.bounds[seg], this.bounds[seg + 1]);
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
 * Where a path's segments start: a new one wherever the frame moves to
 * another place — from the sender's side (its rank, VM, host) to the
 * receiving host, and on to the receiving VM and rank.
 */
export function segmentBounds(path: PathCost, pair: Pair): number[] {
  const place = (resource: string): number => {
    const owner = ownerOf(resource);
    if (owner === `rank${pair.src.rank}` || owner === pair.src.vm || owner === pair.src.host) return 0;
    if (owner === `rank${pair.dst.rank}` || owner === pair.dst.vm) return 2;
    return 1;
  };
  const bounds = [0];
  for (let i = 1; i < path.length; i++) if (place(path[i]!.resource) !== place(path[i - 1]!.resource)) bounds.push(i);
  bounds.push(path.length);
  return bounds;
}
