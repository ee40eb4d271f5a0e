/**
 * What the simulator's wire asks of a model: charge a frame's sender part when
 * it is emitted and its receiver part when it reaches the receiver. A stage
 * model (a preset or calibration) charges the pair's path as its transport
 * describes it; the LogGOPS model charges messages by payload size on per-rank
 * CPU and NIC timelines.
 */
import { FrameType } from "../../core/frames.ts";
import type { ResolvedPlacement } from "../../placement/resolved.ts";
import { FRAME_HEADER_BYTES as HEADER_BYTES } from "../../transport/contract.ts";
import { CompiledPath, receiverSplit } from "../../model/charge.ts";
import type { Model } from "../../model/load.ts";
import { LogGOPSCharger } from "../../model/loggp.ts";
import { Resources } from "../../model/resources.ts";
import type { DescribePath, Pair } from "../../transport/cost.ts";

export interface FrameCharger {
  readonly resources: Resources;
  /** The sender's part of a frame of `frameBytes` (header + payload) emitted at `t`: when it reaches the receiver's side. */
  send(src: number, dst: number, t: number, type: number, frameBytes: number): number;
  /** The receiver's part, at `t`: when the receiving rank has it. */
  receive(src: number, dst: number, t: number, type: number, frameBytes: number): number;
  /** When the sender's CPU is done with what it was charged (a send returns then). */
  cpuFree(rank: number): number;
}

/** Charges each pair's path as its transport describes it, under a stage model. */
export class PathCharger implements FrameCharger {
  readonly resources = new Resources();
  private readonly paths: (CompiledPath | undefined)[];
  private readonly np: number;
  private readonly placement: ResolvedPlacement;
  private readonly describe: (transport: string) => DescribePath;
  private readonly model: Extract<Model, { kind: "stages" }>;

  constructor(np: number, placement: ResolvedPlacement, model: Extract<Model, { kind: "stages" }>, describe: (transport: string) => DescribePath) {
    this.np = np;
    this.placement = placement;
    this.model = model;
    this.describe = describe;
    this.paths = new Array(np * np);
  }

  /** The compiled path from `src` to `dst` (made on first use: a 1024-rank job touches few of its million pairs). */
  path(src: number, dst: number): CompiledPath {
    const i = src * this.np + dst;
    let p = this.paths[i];
    if (!p) {
      const transport = this.placement.transportBetween(src, dst);
      const pair: Pair = { src: { rank: src, ...this.placement.of(src) }, dst: { rank: dst, ...this.placement.of(dst) } };
      const stages = this.describe(transport)(pair, this.model.cost);
      p = new CompiledPath(stages, this.resources, receiverSplit(stages, pair));
      this.paths[i] = p;
    }
    return p;
  }

  send(src: number, dst: number, t: number, _type: number, frameBytes: number): number {
    return this.path(src, dst).send(t, frameBytes);
  }

  receive(src: number, dst: number, t: number, _type: number, frameBytes: number): number {
    return this.path(src, dst).receive(t, frameBytes);
  }

  cpuFree(rank: number): number {
    return this.resources.get(`cpu@rank${rank}`).nextFree;
  }
}

/**
 * LogGOPS: a frame that carries a message (eager, or a rendezvous's request,
 * clear-to-send and data) is charged as a message of its payload bytes.
 * Credit returns are the core's flow control, which LogGOPS does not have:
 * they take the wire latency L and nothing else.
 */
export class LogGPCharger implements FrameCharger {
  readonly resources = new Resources();
  private readonly model: LogGOPSCharger;
  private readonly L: number;

  constructor(model: Extract<Model, { kind: "loggp" }>) {
    this.model = new LogGOPSCharger(model.params, this.resources);
    this.L = model.params.L;
  }

  send(src: number, _dst: number, t: number, type: number, frameBytes: number): number {
    if (type === FrameType.CREDIT) return t + this.L;
    return this.model.send(src, t, frameBytes - HEADER_BYTES);
  }

  receive(_src: number, dst: number, t: number, type: number, frameBytes: number): number {
    if (type === FrameType.CREDIT) return t;
    return this.model.receive(dst, t, frameBytes - HEADER_BYTES);
  }

  cpuFree(rank: number): number {
    return this.resources.get(`cpu@rank${rank}`).nextFree;
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
  if (model.kind === "loggp") return new LogGPCharger(model);
  return new PathCharger(np, placement, model, describe);
}
