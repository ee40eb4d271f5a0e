/**
 * The bridge's forwarding logic, apart from sockets so it can be tested
 * alone: a learning bridge keyed by rank. A VM's rank registers by
 * connecting (the handshake names it); the bridge announces it to the other
 * hosts' bridges, which learn "rank r is behind that port". A frame is
 * stored whole, then copied out to the port that reaches its destination
 * (store-and-forward, as dom0's netback + bridge copy every packet). Frames
 * for a rank nobody has announced yet are held (bounded) until it appears.
 *
 * Backpressure: when a port's outgoing queue passes `queueBytes`, the input
 * that fed it is paused until the queue drains, so TCP flow control pushes
 * back to the sending VM (whose transport then answers "no room").
 */
import { BufferPool } from "../stream/pool.ts";
import { encodeFrame, WIRE_HEADER_BYTES, WireType } from "../stream/wire.ts";

export interface Port {
  readonly name: string;
  readonly kind: "vm" | "bridge";
  /** The rank behind a VM port. */
  readonly rank: number;
  /** Queue `frame`; `written` runs once the port no longer needs it. */
  write(frame: Buffer, written?: () => void): void;
  /** Bytes queued for sending on this port. */
  queued(): number;
  pause(): void;
  resume(): void;
}

export interface BridgeCounters {
  framesIn: number;
  bytesIn: number;
  framesOut: number;
  bytesOut: number;
  drops: number;
  /** Largest outgoing queue seen on any port, bytes. */
  maxQueueBytes: number;
  /** Times an input was paused because an output queue was full. */
  backpressure: number;
  /** Frames held for a destination not yet learned, at most at once. */
  maxHeld: number;
  /** Connections dropped for failing the handshake. */
  strangers: number;
}

/** A frame the bridge stored: its copy and how to give the copy's buffer back. */
interface Stored {
  frame: Buffer;
  release: (() => void) | undefined;
}

export class ForwardingTable {
  private readonly local = new Map<number, Port>();
  private readonly remote = new Map<number, Port>();
  private readonly bridges = new Set<Port>();
  private readonly held = new Map<number, Stored[]>();
  private readonly pool = new BufferPool();
  private heldBytes = 0;
  private heldFrames = 0;
  private readonly blocked = new Map<Port, Set<Port>>();
  private readonly queueBytes: number;
  private readonly holdBytes: number;
  private readonly log: (line: string) => void;
  readonly counters: BridgeCounters = {
    framesIn: 0,
    bytesIn: 0,
    framesOut: 0,
    bytesOut: 0,
    drops: 0,
    maxQueueBytes: 0,
    backpressure: 0,
    maxHeld: 0,
    strangers: 0,
  };

  constructor(options: { queueBytes: number; holdBytes: number; log: (line: string) => void }) {
    this.queueBytes = options.queueBytes;
    this.holdBytes = options.holdBytes;
    this.log = options.log;
  }

  /** A VM's rank connected: learn it, tell the other bridges, release frames held for it. */
  addVm(port: Port): void {
    this.local.set(port.rank, port);
    for (const b of this.bridges) b.write(encodeFrame(WireType.ANNOUNCE, port.rank, -1));
    this.release(port.rank, port);
  }

  addBridge(port: Port): void {
    this.bridges.add(port);
    for (const rank of this.local.keys()) port.write(encodeFrame(WireType.ANNOUNCE, rank, -1));
  }

  /** A frame arrived on `from`. */
  frame(from: Port, type: number, source: number, dest: number, body: Uint8Array): void {
    this.counters.framesIn++;
    this.counters.bytesIn += WIRE_HEADER_BYTES + body.byteLength;
    if (type === WireType.DATA) {
      if (from.kind === "vm" && source !== from.rank) {
        this.drop(`a frame from port ${from.name} claims to come from rank ${source}`);
        return;
      }
      // Split horizon: a frame from another bridge only goes to local VMs.
      const out = this.local.get(dest) ?? (from.kind === "vm" ? this.remote.get(dest) : undefined);
      // Store: the bridge's own copy of the whole frame (pooled buffers: no fresh pages per frame).
      const { buffer, release } = this.pool.take(WIRE_HEADER_BYTES + body.byteLength);
      const copy: Stored = { frame: encodeFrame(type, source, dest, body, undefined, buffer), release };
      if (out) this.forward(from, out, copy);
      else this.hold(dest, copy);
    } else if (type === WireType.ANNOUNCE && from.kind === "bridge") {
      this.remote.set(source, from);
      this.release(source, from);
    } else if (type === WireType.LOST && from.kind === "bridge") {
      for (const p of this.local.values()) p.write(encodeFrame(WireType.LOST, source, -1));
    } else this.drop(`unexpected frame type ${type} from port ${from.name}`);
  }

  private forward(from: Port | undefined, out: Port, stored: Stored): void {
    out.write(stored.frame, stored.release);
    this.counters.framesOut++;
    this.counters.bytesOut += stored.frame.byteLength;
    const q = out.queued();
    if (q > this.counters.maxQueueBytes) this.counters.maxQueueBytes = q;
    if (from && q > this.queueBytes) {
      let set = this.blocked.get(out);
      if (!set) this.blocked.set(out, (set = new Set()));
      if (!set.has(from)) {
        set.add(from);
        from.pause();
        this.counters.backpressure++;
      }
    }
  }

  /** An output's queue went empty: let the inputs it paused flow again. */
  drained(out: Port): void {
    const set = this.blocked.get(out);
    if (!set) return;
    this.blocked.delete(out);
    for (const p of set) p.resume();
  }

  private hold(dest: number, stored: Stored): void {
    if (this.heldBytes + stored.frame.byteLength > this.holdBytes) {
      stored.release?.();
      this.drop(`no route to rank ${dest} and the hold queue (${this.holdBytes} bytes) is full`);
      return;
    }
    let list = this.held.get(dest);
    if (!list) this.held.set(dest, (list = []));
    list.push(stored);
    this.heldBytes += stored.frame.byteLength;
    this.heldFrames++;
    if (this.heldFrames > this.counters.maxHeld) this.counters.maxHeld = this.heldFrames;
  }

  private release(rank: number, out: Port): void {
    const list = this.held.get(rank);
    if (!list) return;
    this.held.delete(rank);
    for (const f of list) {
      this.heldBytes -= f.frame.byteLength;
      this.heldFrames--;
      this.forward(undefined, out, f);
    }
  }

  private drop(why: string): void {
    this.counters.drops++;
    this.log(`dropped a frame: ${why}`);
  }

  /** A port closed; `clean` when it said goodbye. Ranks lost without goodbye are reported to everyone. */
  closed(port: Port, clean: boolean): void {
    this.blocked.delete(port);
    for (const set of this.blocked.values()) set.delete(port);
    const lost: number[] = [];
    if (port.kind === "vm") {
      if (this.local.get(port.rank) === port) {
        this.local.delete(port.rank);
        lost.push(port.rank);
      }
    } else {
      this.bridges.delete(port);
      for (const [rank, p] of this.remote)
        if (p === port) {
          this.remote.delete(rank);
          lost.push(rank);
        }
    }
    if (clean) return;
    for (const rank of lost) {
      const lostFrame = encodeFrame(WireType.LOST, rank, -1);
      for (const p of this.local.values()) p.write(lostFrame);
      if (port.kind === "vm") for (const b of this.bridges) b.write(lostFrame);
    }
  }

  /** Current totals for `--stats`. */
  snapshot(): Record<string, number> {
    let queue = 0;
    for (const p of this.local.values()) queue += p.queued();
    for (const p of this.bridges) queue += p.queued();
    return { ...this.counters, queueBytes: queue, held: this.heldFrames };
  }
}
