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

/** How a bound stage charges: plainly, once per batch of `every` frames, or behind a coalesced interrupt. */
const PLAIN = 0;
const BATCHED = 1;
const COALESCED = 2;

/** A stage bound to its resource, with its batching counter (batches are per path: one queue pair). */
interface BoundStage {
  readonly resource: Resource;
  readonly how: number;
  readonly perFrame: number;
  readonly perByte: number;
  readonly latency: number;
  readonly every: number;
  readonly coalesce: Stage["coalesce"];
  count: number;
}

/**
 * Bound stages and stage lists shared by every path that has the same ones:
 * the simulator compiles a path per pair of ranks, and a 256-rank all-to-all
 * touches 65 k of them, one per frame, so a stage object per pair would be a
 * cache miss per frame where a shared one (the receiver's CPU, the VM's
 * memory bandwidth) stays hot. A batched stage keeps its own counter per path
 * and is not shared.
 */
export class StageTable {
  readonly resources: Resources;
  /** Shareable bound stages by resource, told apart by their numbers. */
  private readonly byResource = new Map<Resource, BoundStage[]>();
  /** Shared stage lists: a trie on the stages' identities. */
  private readonly lists: ListNode = { next: new Map(), list: undefined };

  constructor(resources: Resources) {
    this.resources = resources;
  }

  /**
   * The bound stages of a segment, shared with every earlier path that had
   * the same ones (all frames from one rank share its sending segment, all
   * frames to one rank its receiving one).
   */
  bind(path: PathCost): readonly BoundStage[] {
    const bound = path.map((stage) => this.stage(stage));
    let node = this.lists;
    for (const b of bound) {
      if (b.how === BATCHED) return bound;
      let next = node.next.get(b);
      if (!next) node.next.set(b, (next = { next: new Map(), list: undefined }));
      node = next;
    }
    return (node.list ??= bound);
  }

  private stage(stage: Stage): BoundStage {
    const resource = this.resources.get(stage.resource);
    const every = stage.every && stage.every > 1 ? Math.floor(stage.every) : 1;
    const how = stage.coalesce ? COALESCED : every > 1 ? BATCHED : PLAIN;
    const latency = stage.latency ?? 0;
    let known = this.byResource.get(resource);
    if (how !== BATCHED && known) {
      for (const b of known) {
        if (b.how === how && b.perFrame === stage.perFrame && b.perByte === stage.perByte && b.latency === latency && sameCoalesce(b.coalesce, stage.coalesce)) return b;
      }
    }
    const b: BoundStage = { resource, how, perFrame: stage.perFrame, perByte: stage.perByte, latency, every, coalesce: stage.coalesce, count: 0 };
    if (how === BATCHED) return b;
    if (!known) this.byResource.set(resource, (known = []));
    known.push(b);
    return b;
  }
}

interface ListNode {
  readonly next: Map<BoundStage, ListNode>;
  list: readonly BoundStage[] | undefined;
}

const sameCoalesce = (a: Stage["coalesce"], b: Stage["coalesce"]): boolean => a === b || (!!a && !!b && a.seconds === b.seconds && a.frames === b.frames);

export class CompiledPath {
  /** The stages of each segment, in order. */
  private readonly segs: readonly (readonly BoundStage[])[];
  readonly segments: number;

  /** `bounds`: where each segment starts (stage indices, ascending, the first 0), and the path's length at the end. */
  constructor(path: PathCost, resources: Resources | StageTable, bounds: readonly number[] = [0, path.length]) {
    const table = resources instanceof StageTable ? resources : new StageTable(resources);
    const segs: (readonly BoundStage[])[] = [];
    for (let k = 0; k + 1 < bounds.length; k++) segs.push(table.bind(path.slice(bounds[k], bounds[k + 1])));
    this.segs = segs;
    this.segments = segs.length;
  }

  /** Charge segment `seg` to a frame of `bytes` reaching it at `t`; returns when it leaves. */
  segment(seg: number, t: number, bytes: number): number {
    const stages = this.segs[seg]!;
    for (let i = 0; i < stages.length; i++) {
      const s = stages[i]!;
      if (s.how === COALESCED) {
        t = coalesced(s, t) + s.latency;
        continue;
      }
      let perFrame = s.perFrame;
      // One doorbell (or descriptor fetch) serves `every` frames: the first pays.
      if (s.how === BATCHED && s.count++ % s.every !== 0) perFrame = 0;
      t = s.resource.serve(t, perFrame + s.perByte * bytes) + s.latency;
    }
    return t;
  }

  /** Charge the whole path to a frame of `bytes` entering at `t`; returns when it leaves the last stage. */
  charge(t: number, bytes: number): number {
    for (let seg = 0; seg < this.segments; seg++) t = this.segment(seg, t, bytes);
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
  const c = s.coalesce!;
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
  const srcRank = `rank${pair.src.rank}`;
  const dstRank = `rank${pair.dst.rank}`;
  const place = (resource: string): number => {
    const owner = ownerOf(resource);
    if (owner === srcRank || owner === pair.src.vm || owner === pair.src.host) return 0;
    if (owner === dstRank || owner === pair.dst.vm) return 2;
    return 1;
  };
  const bounds = [0];
  let before = path.length > 0 ? place(path[0]!.resource) : 0;
  for (let i = 1; i < path.length; i++) {
    const here = place(path[i]!.resource);
    if (here !== before) bounds.push(i);
    before = here;
  }
  bounds.push(path.length);
  return bounds;
}
