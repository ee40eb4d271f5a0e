/**
 * The simulator's wire: a transport whose frames travel through virtual time.
 * `trySend` hands the frame to the SimWorld, which copies it (the core reuses
 * its header buffer), charges it on the pair's path and delivers it to the
 * destination's core when the clock reaches its arrival. It never refuses a
 * frame: backpressure in the simulator is the resources' queues. Limits are
 * the live transport's, so the core picks the same protocol it would live.
 */
import type { Transport, TransportLimits } from "../../transport/contract.ts";
import type { SimWorld } from "./world.ts";

export class SimWire implements Transport {
  readonly name: string;
  readonly limits: TransportLimits;
  readonly capabilities = { progress: "event" } as const;
  private readonly rank: number;
  private readonly world: SimWorld;
  private frames = 0;
  private bytes = 0;

  constructor(name: string, rank: number, world: SimWorld, limits: TransportLimits) {
    this.name = name;
    this.rank = rank;
    this.world = world;
    this.limits = limits;
  }

  trySend(peer: number, header: Uint8Array, payload: Uint8Array | undefined): boolean {
    this.frames++;
    this.bytes += header.byteLength + (payload ? payload.byteLength : 0);
    this.world.send(this.rank, peer, header, payload);
    return true;
  }

  stats(): Record<string, number> {
    return { frames: this.frames, bytes: this.bytes };
  }

  async close(): Promise<void> {}
}
