/**
 * The in-memory transport of the simulator: every rank lives in one thread,
 * so a frame is copied and handed to the destination rank on a later
 * microtask. Delivery is instant; the simulator's clock will charge costs.
 *
 * Reads `options.bus`: a shared array where each rank registers its deliver
 * function under its world rank.
 */
import type { Deliver, Transport, TransportContext, TransportFactory } from "../../src/transport/contract.ts";

class MemoryTransport implements Transport {
  readonly name = "memory";
  readonly capabilities = { progress: "event" } as const;
  readonly limits = { eagerLimit: 64 * 1024, maxFrameBytes: 1024 * 1024 + 64, fragmentBytes: 1024 * 1024 };
  private readonly context: TransportContext;
  private readonly bus: Deliver[];
  private frames = 0;
  private bytes = 0;

  constructor(context: TransportContext) {
    this.context = context;
    this.bus = context.options.bus as Deliver[];
    this.bus[context.rank] = context.deliver;
  }

  trySend(peer: number, header: Uint8Array, payload: Uint8Array | undefined): boolean {
    const n = payload ? payload.byteLength : 0;
    const frame = new Uint8Array(header.byteLength + n);
    frame.set(header);
    if (payload) frame.set(payload, header.byteLength);
    const source = this.context.rank;
    const bus = this.bus;
    this.frames++;
    this.bytes += frame.byteLength;
    queueMicrotask(() => bus[peer]!(source, frame));
    return true;
  }

  stats(): Record<string, number> {
    return { frames: this.frames, bytes: this.bytes };
  }

  async close(): Promise<void> {}
}

const open: TransportFactory = (context) => new MemoryTransport(context);
export default open;
