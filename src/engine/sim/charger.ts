/**
 * What the simulator's wire asks of a model: charge a frame segment by segment
 * as it reaches each place on its way (model/charge.ts). A stage
 * model (a preset or calibration) charges the pair's path as its transport
 * describes it; the LogGOPS model charges messages by payload size on per-rank
 * CPU and NIC timelines.
 */
import { FrameType } from "../../core/frames.ts";
import type { ResolvedPlacement } from "../../placement/resolved.ts";
import { FRAME_HEADER_BYTES as HEADER_BYTES } from "../../transport/contract.ts";
import { CompiledPath, segmentBounds, StageTable } from "../../model/charge.ts";
import type { Model } from "../../model/load.ts";
import { LogGOPSCharger } from "../../model/loggp.ts";
import { timeShared, timeShareFactor } from "../../model/time-share.ts";
import { type Resource, Resources } from "../../model/resources.ts";
import type { DescribePath, Endpoint, Pair } from "../../transport/cost.ts";

/** A pair's path as the wire walks it: segment by segment, each charged when the frame reaches it. */
export interface Route {
  readonly segments: number;
  /** Charge segment `seg` to a frame (its header + payload bytes and type) reaching it at `t`; returns when it leaves. */
  segment(seg: number, t: number, frameBytes: number, type: number): number;
}

export interface FrameCharger {
  readonly resources: Resources;
  /** The route from `src` to `dst` (made once per pair, on first use). */
  route(src: number, dst: number): Route;
  /** When the sender's CPU is done with what it was charged (a send returns then). */
  cpuFree(rank: number): number;
}

/**
 * Routes by pair, made on first use: a 1024-rank job touches few of its
 * million pairs. One row per sender: an array of np² slots would be a
 * dictionary (hash) array in V8, looked up on every frame.
 */
class PairTable {
  private readonly rows: (Route | undefined)[][] = [];
  private readonly np: number;

  constructor(np: number) {
    this.np = np;
  }

  get(src: number, dst: number): Route | undefined {
    return this.rows[src]?.[dst];
  }

  set(src: number, dst: number, route: Route): void {
    (this.rows[src] ??= new Array<Route | undefined>(this.np).fill(undefined))[dst] = route;
  }
}

/** Each rank's CPU resource, looked up by name once (every frame asks when its sender's CPU is free). */
class RankCpus {
  private readonly resources: Resources;
  private readonly byRank: Resource[] = [];

  constructor(resources: Resources) {
    this.resources = resources;
  }

  of(rank: number): Resource {
    return (this.byRank[rank] ??= this.resources.get(`cpu@rank${rank}`));
  }
}

/** Charges each pair's path as its transport describes it, under a stage model. */
export class PathCharger implements FrameCharger {
  readonly resources = new Resources();
  private readonly cpus = new RankCpus(this.resources);
  private readonly stages = new StageTable(this.resources);
  private readonly routes: PairTable;
  private readonly endpoints: Endpoint[] = [];
  private readonly placement: ResolvedPlacement;
  private readonly describe: (transport: string) => DescribePath;
  private readonly model: Extract<Model, { kind: "stages" }>;
  /** The ranks' CPU stages × this when they outnumber the model's machine cores. */
  private readonly shared: number;

  constructor(np: number, placement: ResolvedPlacement, model: Extract<Model, { kind: "stages" }>, describe: (transport: string) => DescribePath) {
    this.placement = placement;
    this.model = model;
    this.shared = timeShareFactor(model.cost, np);
    this.describe = describe;
    this.routes = new PairTable(np);
  }

  route(src: number, dst: number): Route {
    let r = this.routes.get(src, dst);
    if (!r) {
      const pair: Pair = { src: this.endpoint(src), dst: this.endpoint(dst) };
      const stages = timeShared(this.describe(this.placement.transportBetween(src, dst))(pair, this.model.cost), this.shared);
      // The compiled path is the route: its segment(seg, t, bytes) ignores the frame type.
      r = new CompiledPath(stages, this.stages, segmentBounds(stages, pair));
      this.routes.set(src, dst, r);
    }
    return r;
  }

  /** Where rank `r` sits, made once per rank (a rank is in up to np - 1 pairs). */
  private endpoint(r: number): Endpoint {
    return (this.endpoints[r] ??= { rank: r, ...this.placement.of(r) });
  }

  cpuFree(rank: number): number {
    return this.cpus.of(rank).nextFree;
  }
}

/**
 * LogGOPS: a frame that carries a message (eager, or a rendezvous's request,
 * clear-to-send and data) is charged as a message of its payload bytes: the
 * send when it is emitted, the receive when it arrives. Credit returns are the
 * core's flow control, which LogGOPS does not have: they take the wire
 * latency L and nothing else.
 */
export class LogGPCharger implements FrameCharger {
  readonly resources = new Resources();
  private readonly cpus = new RankCpus(this.resources);
  private readonly model: LogGOPSCharger;
  private readonly routes: PairTable;
  private readonly L: number;

  constructor(np: number, model: Extract<Model, { kind: "loggp" }>) {
    this.model = new LogGOPSCharger(model.params, this.resources);
    this.L = model.params.L;
    this.routes = new PairTable(np);
  }

  route(src: number, dst: number): Route {
    let r = this.routes.get(src, dst);
    if (!r) {
      const m = this.model;
      const L = this.L;
      r = {
        segments: 2,
        segment(seg, t, bytes, type) {
          if (type === FrameType.CREDIT) return seg === 0 ? t + L : t;
          return seg === 0 ? m.send(src, t, bytes - HEADER_BYTES) : m.receive(dst, t, bytes - HEADER_BYTES);
        },
      };
      this.routes.set(src, dst, r);
    }
    return r;
  }

  cpuFree(rank: number): number {
    return this.cpus.of(rank).nextFree;
  }
}

/** Frame limits the simulator gives the core per transport: the live transports' defaults, so protocols match. */
export function simLimits(transport: string, model: Model): { eagerLimit: number; maxFrameBytes: number; fragmentBytes: number } {
  if (model.kind === "loggp") {
    // Eager at or below S (LogGOPSim's threshold); data in large fragments, so a message is one data frame.
    const fragment = 1 << 24;
    return { eagerLimit: model.params.S, maxFrameBytes: fragment + HEADER_BYTES, fragmentBytes: fragment };
  }
  const [eager, fragment] = LIVE_LIMITS[transport] ?? LIVE_LIMITS.shm!;
  return { eagerLimit: eager, maxFrameBytes: fragment + HEADER_BYTES, fragmentBytes: fragment };
}

/** [eager limit, fragment] as each live transport sets them by default (their index.ts). */
const LIVE_LIMITS: Record<string, [number, number]> = {
  shm: [32 * 1024, 256 * 1024],
  memory: [32 * 1024, 256 * 1024],
  bridged: [64 * 1024, 256 * 1024],
  vf: [64 * 1024, 256 * 1024],
  slurpoe: [8192, 128 * 1024 - 128],
};

export function chargerFor(np: number, placement: ResolvedPlacement, model: Model, describe: (transport: string) => DescribePath): FrameCharger {
  if (model.kind === "loggp") return new LogGPCharger(np, model);
  return new PathCharger(np, placement, model, describe);
}
