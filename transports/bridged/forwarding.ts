/**
 * The bridge's forwarding logic, apart from sockets so it can be tested
 * alone: a learning bridge keyed by rank. A VM's rank registers by
 * connecting (the handshake names it); the bridge announces it to the other
 * hosts' bridges, which learn "rank r is behind that port". A frame is
 * stored whole, then copied out to the port that reaches its destination
 * (store-and-forward, as dom0's netback + bridge copy every packet). Frames
 * for a rank nobody has announced yet are held until it appears.
 *
 * Backpressure: when a port's outgoing queue passes `queueBytes`, the input
 * that fed it is paused until the queue drains, so TCP flow control pushes
 * back to the sending VM (whose transport then answers "no room"). The hold
 * queue does the same: past `holdBytes` the input that fed it is paused until
 * held frames are released.
 *
 * Nothing is dropped silently. A frame the bridge cannot deliver (its
 * destination's VM died, it waited in the hold queue past `holdMs`, its
 * source lied about who it is, or its type makes no sense on that port)
 * fails the job through `fail`, naming the bridge's complaint. The one frame
 * thrown away on purpose is one for a rank that has said goodbye (its program
 * finished; a late credit return has no reader): counted and logged.
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
  /** Times an input was paused because the hold queue was full. */
  holdBackpressure: number;
  /** Frames for a rank that had said goodbye (thrown away, logged). */
  afterGoodbye: number;
}

/** A frame the bridge stored: its copy and how to give the copy's buffer back. */
interface Stored {
  frame: Buffer;
  release: (() => void) | undefined;
  /** When it was held (ms, the table's clock). */
  since: number;
}

export interface ForwardingOptions {
  queueBytes: number;
  holdBytes: number;
  /** How long a frame may wait for its destination to appear (default 60 s). */
  holdMs?: number;
  log: (line: string) => void;
  /** The bridge cannot do its job: end the job with this reason. */
  fail: (why: string) => void;
  /** The clock (ms); tests pass their own. */
  now?: () => number;
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
  /** Inputs paused because the hold queue was full. */
  private readonly holdBlocked = new Set<Port>();
  /** Local ranks whose VM said goodbye, and ranks (local or remote) lost without one. */
  private readonly finished = new Set<number>();
  private readonly lost = new Set<number>();
  private readonly queueBytes: number;
  private readonly holdBytes: number;
  private readonly holdMs: number;
  private readonly log: (line: string) => void;
  private readonly fail: (why: string) => void;
  private readonly now: () => number;
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
    holdBackpressure: 0,
    afterGoodbye: 0,
  };

  constructor(options: ForwardingOptions) {
    this.queueBytes = options.queueBytes;
    this.holdBytes = options.holdBytes;
    this.holdMs = options.holdMs ?? 60_000;
    this.log = options.log;
    this.fail = options.fail;
    this.now = options.now ?? (() => performance.now());
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
        this.undeliverable(`a frame from ${from.name} claims to come from rank ${source}`);
        return;
      }
      // Split horizon: a frame from another bridge only goes to local VMs.
      const out = this.local.get(dest) ?? (from.kind === "vm" ? this.remote.get(dest) : undefined);
      if (!out && this.gone(source, dest)) return;
      // Store: the bridge's own copy of the whole frame (pooled buffers: no fresh pages per frame).
      const { buffer, release } = this.pool.take(WIRE_HEADER_BYTES + body.byteLength);
      const copy: Stored = { frame: encodeFrame(type, source, dest, body, undefined, buffer), release, since: 0 };
      if (out) this.forward(from, out, copy);
      else this.hold(from, dest, copy);
    } else if (type === WireType.ANNOUNCE && from.kind === "bridge") {
      this.remote.set(source, from);
      this.release(source, from);
    } else if (type === WireType.LOST && from.kind === "bridge") {
      this.lost.add(source);
      for (const p of this.local.values()) p.write(encodeFrame(WireType.LOST, source, -1));
    } else this.undeliverable(`an unexpected frame (type ${type}) from ${from.name}`);
  }

  /** A frame for a rank that is gone: true when it was dealt with (thrown away after a goodbye, or the job failed). */
  private gone(source: number, dest: number): boolean {
    if (this.lost.has(dest)) {
      this.undeliverable(`a frame from rank ${source} for rank ${dest}, whose VM lost its link without saying goodbye`);
      return true;
    }
    if (!this.finished.has(dest)) return false;
    if (this.counters.afterGoodbye++ === 0) this.log(`threw away a frame from rank ${source} for rank ${dest}, which had finished (said goodbye)`);
    return true;
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

  private hold(from: Port, dest: number, stored: Stored): void {
    let list = this.held.get(dest);
    if (!list) this.held.set(dest, (list = []));
    stored.since = this.now();
    list.push(stored);
    this.heldBytes += stored.frame.byteLength;
    this.heldFrames++;
    if (this.heldFrames > this.counters.maxHeld) this.counters.maxHeld = this.heldFrames;
    // Full: the input that filled it waits (at most one frame past the bound per paused input).
    if (this.heldBytes > this.holdBytes && !this.holdBlocked.has(from)) {
      this.holdBlocked.add(from);
      from.pause();
      this.counters.holdBackpressure++;
    }
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
    if (this.heldBytes <= this.holdBytes) {
      for (const p of this.holdBlocked) p.resume();
      this.holdBlocked.clear();
    }
  }

  /**
   * Fail the job if a frame has waited longer than `holdMs` for its
   * destination (a rank that never connected to any bridge). The bridge
   * process calls this on a timer.
   */
  expireHeld(): void {
    const now = this.now();
    for (const [dest, list] of this.held) {
      const oldest = list[0];
      if (oldest && now - oldest.since > this.holdMs) {
        this.undeliverable(`${list.length} frame(s) for rank ${dest} waited ${Math.round((now - oldest.since) / 1000)} s and no bridge knows where rank ${dest} is`);
        return;
      }
    }
  }

  private undeliverable(why: string): void {
    this.counters.drops++;
    this.log(`cannot deliver ${why}`);
    this.fail(`could not deliver ${why}`);
  }

  /** A port closed; `clean` when it said goodbye. Ranks lost without goodbye are reported to everyone. */
  closed(port: Port, clean: boolean): void {
    this.blocked.delete(port);
    for (const set of this.blocked.values()) set.delete(port);
    this.holdBlocked.delete(port);
    const lost: number[] = [];
    if (port.kind === "vm") {
      if (this.local.get(port.rank) === port) {
        this.local.delete(port.rank);
        lost.push(port.rank);
        if (clean) this.finished.add(port.rank);
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
      this.lost.add(rank);
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
