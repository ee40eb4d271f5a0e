/**
 * `shm`: ranks of one VM (worker threads of one process) exchange frames
 * through SharedArrayBuffer rings, one per ordered pair. Poll-style: a waiting
 * rank polls its incoming rings while it spins; when it sleeps it waits on its
 * wake word (futex style, Atomics.waitAsync), and a writer that sees the
 * sleeping flag bumps the word and notifies. Large messages are rendezvous
 * fragments of up to a quarter ring each, so the copy into the ring and the
 * copy out of it overlap on two cores (btl/sm without single-copy).
 *
 * Options (from prepareProcess): `shm.buffer` (the rings), `shm.wake` (wake
 * words), `shm.ranks` (world ranks in this VM), `shm.ringBytes`,
 * `shm.collective` (the segment offered to shared-memory collectives, rung
 * with the same wake words as frames, so a sleeping rank wakes for either).
 */
import { collectiveBytes as collectiveBytesSetting, ringBytes as ringBytesSetting, singleCopy as singleCopySetting } from "./settings.ts";
import { availableParallelism } from "node:os";
import type { Deliver, ProcessPlan, SharedSegment, Transport, TransportContext, TransportFactory } from "../../src/transport/contract.ts";
import { Ring, ringBytes } from "./ring.ts";
import { singleCopy } from "./single-copy.ts";

/** Ints per rank in the wake block: sequence word and sleeping flag, one cache line each rank. */
const WAKE_STRIDE = 16;
const SEQUENCE = 0;
const SLEEPING = 1;
/** Set by a writer whose ring was full; the reader wakes it after freeing room. */
const WANTS_ROOM = 2;

export interface ShmShared {
  /** Ranks in the whole job outnumber this machine's cores (every VM runs here). */
  oversubscribed: boolean;
  buffer: SharedArrayBuffer;
  wake: SharedArrayBuffer;
  ranks: number[];
  ringBytes: number;
  /** The shared segment for collectives (src/coll/shared lays it out); empty when turned off. */
  collective: SharedArrayBuffer;
}

/** Ring capacity by ranks per VM: big rings for few ranks, bounded total memory for many. */
function defaultRingBytes(local: number): number {
  if (local <= 4) return 2 * 1024 * 1024;
  if (local <= 8) return 1024 * 1024;
  return 256 * 1024;
}

/**
 * Shared-collective segment per rank (src/coll/shared cuts it into 8 banks
 * of 8 slots): slots of 64 KiB for few ranks, 16 KiB for many. Pages never
 * written are never touched.
 */
function defaultCollectiveBytes(local: number): number {
  return local <= 8 ? 4 * 1024 * 1024 : 1024 * 1024;
}

export function prepareProcess(plan: ProcessPlan): Record<string, unknown> {
  const k = plan.ranks.length;
  const capacity = ringBytesSetting.given(plan.settings) ?? defaultRingBytes(k);
  const bytes = ringBytes(capacity);
  const shared: ShmShared = {
    oversubscribed: plan.size > availableParallelism(),
    buffer: new SharedArrayBuffer(Math.max(1, k * k) * bytes),
    wake: new SharedArrayBuffer(Math.max(1, k) * WAKE_STRIDE * 4),
    ranks: [...plan.ranks],
    ringBytes: capacity,
    collective: new SharedArrayBuffer(k > 1 ? k * (collectiveBytesSetting.given(plan.settings) ?? defaultCollectiveBytes(k)) : 0),
  };
  return { shm: shared };
}

class ShmTransport implements Transport {
  readonly name = "shm";
  readonly capabilities = { progress: "poll" } as const;
  readonly limits;
  /** Outgoing ring per world rank (undefined when not in this VM). */
  private readonly out: (Ring | undefined)[];
  /** Incoming rings and their sources. */
  private readonly incoming: Ring[] = [];
  private readonly sources: number[] = [];
  /** Local index of each world rank (-1 when elsewhere). */
  private readonly localIndex: Int32Array;
  private readonly wake: Int32Array;
  private readonly me: number;
  private armed: Promise<void> | undefined;
  private frames = 0;
  private bytes = 0;
  private full = 0;
  private singleCopies = 0;
  private readonly singleCopy: boolean;
  readonly segment: SharedSegment | undefined;

  constructor(context: TransportContext) {
    const shared = context.options.shm as ShmShared;
    const k = shared.ranks.length;
    const stride = ringBytes(shared.ringBytes);
    this.localIndex = new Int32Array(context.size).fill(-1);
    for (let i = 0; i < k; i++) this.localIndex[shared.ranks[i]!] = i;
    this.me = this.localIndex[context.rank]!;
    if (this.me < 0) throw new Error(`shm: rank ${context.rank} is not in this VM (${shared.ranks.join(",")})`);
    this.wake = new Int32Array(shared.wake);
    this.out = new Array(context.size).fill(undefined);
    // Ring (i -> j) lives at index i * k + j.
    for (let j = 0; j < k; j++) {
      if (j === this.me) continue;
      this.out[shared.ranks[j]!] = new Ring(shared.buffer, (this.me * k + j) * stride, shared.ringBytes);
      this.incoming.push(new Ring(shared.buffer, (j * k + this.me) * stride, shared.ringBytes));
      this.sources.push(shared.ranks[j]!);
    }
    this.singleCopy = singleCopy !== undefined && singleCopySetting.read(context.settings);
    // Only an oversubscribed rank gives its core away while it polls.
    if (!(shared.oversubscribed && typeof singleCopy?.yieldCpu === "function")) this.relax = undefined as never;
    // Every rank has a core, but another process may hold one: yield now and then (contract: yieldCore).
    if (shared.oversubscribed || typeof singleCopy?.yieldCpu !== "function") this.yieldCore = undefined as never;
    this.segment = shared.collective.byteLength > 0 ? this.makeSegment(shared) : undefined;
    const maxFrame = shared.ringBytes / 4 - 16;
    this.limits = {
      eagerLimit: Math.min(32 * 1024, maxFrame - 64),
      maxFrameBytes: maxFrame,
      fragmentBytes: maxFrame - 64,
    };
  }

  // Single copy: every rank of this VM is a thread of this process, so the
  // address of the sender's (off-heap) buffer is valid in the receiver too.
  // Messages below the eager limit come here only when the sender ran out of
  // eager credits; one fragment carries them as cheaply, so they are not
  // exposed (and an empty view has no address to expose).
  expose(_peer: number, bytes: Uint8Array): bigint | undefined {
    return this.singleCopy && bytes.byteLength > this.limits.eagerLimit ? singleCopy!.address(bytes) : undefined;
  }

  readExposed(_peer: number, handle: bigint, into: Uint8Array): boolean {
    if (!this.singleCopy) return false;
    singleCopy!.copyFrom(handle, into);
    this.singleCopies++;
    return true;
  }

  trySend(peer: number, header: Uint8Array, payload: Uint8Array | undefined): boolean {
    if (!this.out[peer]!.tryWrite(header, payload)) {
      this.full++;
      Atomics.store(this.wake, this.me * WAKE_STRIDE + WANTS_ROOM, 1);
      return false;
    }
    this.frames++;
    this.bytes += header.length + (payload ? payload.length : 0); // length: see Ring.tryWrite
    this.ring(this.localIndex[peer]!);
    return true;
  }

  /** Wake a local rank if it sleeps. */
  private ring(local: number): void {
    const w = this.wake;
    const at = local * WAKE_STRIDE;
    if (Atomics.load(w, at + SLEEPING) !== 0) {
      Atomics.add(w, at + SEQUENCE, 1);
      Atomics.notify(w, at + SEQUENCE);
    }
  }

  poll(deliver: Deliver): number {
    let n = 0;
    const rings = this.incoming;
    for (let i = 0; i < rings.length; i++) {
      const r = rings[i]!;
      // The room of frames read by the last poll is given back now, not then
      // (see Ring.release): after a message has reached its caller.
      if (r.release()) this.roomFreed(i);
      n += r.read(this.sources[i]!, deliver);
    }
    return n;
  }

  /** Incoming ring `i` gave room back: its writer may sleep with frames queued for lack of it. */
  private roomFreed(i: number): void {
    const writer = this.localIndex[this.sources[i]!]!;
    if (Atomics.load(this.wake, writer * WAKE_STRIDE + WANTS_ROOM) !== 0) {
      Atomics.store(this.wake, writer * WAKE_STRIDE + WANTS_ROOM, 0);
      this.ring(writer);
    }
  }

  /** Give back the room of every frame read: before sleeping, as no poll may come for a while. */
  private releaseAll(): void {
    const rings = this.incoming;
    for (let i = 0; i < rings.length; i++) if (rings[i]!.release()) this.roomFreed(i);
  }

  waitSync(timeoutMs: number): void {
    this.sleep(undefined, timeoutMs);
  }

  /** Sleep on the wake word until a frame, a ring of it, `ready()` or the timeout. */
  private sleep(ready: (() => boolean) | undefined, timeoutMs: number): void {
    const w = this.wake;
    const at = this.me * WAKE_STRIDE;
    Atomics.store(w, at + SLEEPING, 1);
    this.releaseAll();
    const seq = Atomics.load(w, at + SEQUENCE);
    // A frame (or a segment store) published before the flag was visible would not ring: look first.
    let now = ready?.() === true;
    for (const r of this.incoming) if (r.hasData()) now = true;
    if (!now) Atomics.wait(w, at + SEQUENCE, seq, timeoutMs);
    // A sleep through the event loop may be armed too (a blocking call made
    // while background progress sleeps): it still needs writers to ring, so
    // the flag stays up for it. Clearing it here left that sleeper deaf.
    Atomics.store(w, at + SLEEPING, this.armed ? 1 : 0);
  }

  relax(): void {
    singleCopy!.yieldCpu();
  }

  yieldCore(): void {
    singleCopy!.yieldCpu();
  }

  private makeSegment(shared: ShmShared): SharedSegment {
    const relax = (this as { relax?: () => void }).relax !== undefined ? () => singleCopy!.yieldCpu() : undefined;
    const yieldCore = (this as { yieldCore?: () => void }).yieldCore !== undefined ? () => singleCopy!.yieldCpu() : undefined;
    return {
      ranks: shared.ranks,
      buffer: shared.collective,
      notify: (rank) => this.ring(this.localIndex[rank]!),
      waitSync: (ready, timeoutMs) => this.sleep(ready, timeoutMs),
      relax,
      yieldCore,
      address: this.singleCopy ? (view) => singleCopy!.address(view) : undefined,
      copyFrom: this.singleCopy ? (address, into) => singleCopy!.copyFrom(address, into) : undefined,
    };
  }

  awake(): void {
    Atomics.store(this.wake, this.me * WAKE_STRIDE + SLEEPING, 0);
  }

  wakeup(): Promise<void> {
    const w = this.wake;
    const at = this.me * WAKE_STRIDE;
    Atomics.store(w, at + SLEEPING, 1);
    this.releaseAll();
    // Still armed from an earlier sleep: writers see the flag again and bump the word it waits on.
    if (this.armed) return this.armed;
    const seq = Atomics.load(w, at + SEQUENCE);
    const result = Atomics.waitAsync(w, at + SEQUENCE, seq);
    if (!result.async) {
      Atomics.store(w, at + SLEEPING, 0);
      return Promise.resolve();
    }
    const armed = result.value.then(() => {
      this.armed = undefined;
      Atomics.store(w, at + SLEEPING, 0);
    });
    this.armed = armed;
    return armed;
  }

  stats(): Record<string, number> {
    return { frames: this.frames, bytes: this.bytes, ringFull: this.full, singleCopies: this.singleCopies };
  }

  async close(): Promise<void> {}
}

const open: TransportFactory = (context) => new ShmTransport(context);
export default open;
