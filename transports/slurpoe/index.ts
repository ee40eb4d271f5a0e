/**
 * `slurpoe`: ranks in different VMs talk through their VMs' emulated
 * intelligent NICs (nic-engine.ts in a thread per VM) with SLURPoE, a
 * user-level RDMA protocol over Ethernet (UDP datagrams here).
 *
 * - Frames up to the receive-buffer size are SENDs: copied into a registered
 *   staging ring, posted as a work request, announced by a doorbell; the
 *   peer's NIC places them in a pre-posted receive buffer.
 * - Larger frames (the core's rendezvous DATA fragments) are RDMA WRITEs with
 *   immediate straight into a landing ring the peer registered for us; the
 *   immediate carries the ring position, so the peer frees space in order and
 *   publishes its credit word, which its NIC carries back in ACKs. Staging
 *   windows for these are registered on demand through a registration cache.
 * - Completions are found by polling the completion queue; a sleeping rank
 *   waits for an interrupt (`nic.mode=interrupt`, coalesced by the NIC) or
 *   keeps polling (`nic.mode=poll`: lower latency, a busy host core).
 *
 * Options (from prepareProcess): `slurpoe.shared` (NicShared), `slurpoe.keys`.
 * Settings: `nic.*` (profiles.ts), `slurpoe.*` sizes (nic.ts), `wire.*`
 * faults (wire.ts), `bind` (the NIC's address, default 127.0.0.1).
 */
import type { Deliver, ProcessPlan, Transport, TransportContext, TransportFactory } from "../../src/transport/contract.ts";
import { spinMicroseconds } from "./costs.ts";
import { NicCounters } from "./counters.ts";
import { Access, alignUp, Completion, ipToInt, WorkOp } from "./layout.ts";
import { MemoryTable, RegistrationCache } from "./memory.ts";
import { createNic, type QpKeys, startNicThread } from "./nic.ts";
import type { NicShared } from "./nic-engine.ts";
import { interruptUs, type NicMode } from "./profiles.ts";
import { doorbellBatchFromSettings } from "./settings.ts";
import { HostQueues } from "./verbs.ts";
import { faultsFromSettings } from "./wire.ts";

export interface SlurpoeOptions {
  shared: NicShared;
  keys: QpKeys[][];
}

/**
 * What a rank publishes so peers can reach it, through the job's
 * authenticated key-value store: its NIC's address, and per peer the landing
 * key it registered and its QP's tag (which every frame to it must carry).
 */
interface Endpoint {
  address: string;
  port: number;
  landing: number[];
  tags: [number, number][];
}

function streamOf(vm: string): number {
  let h = 2166136261;
  for (let i = 0; i < vm.length; i++) h = Math.imul(h ^ vm.charCodeAt(i), 16777619);
  return h >>> 0;
}

export async function prepareProcess(plan: ProcessPlan): Promise<Record<string, unknown>> {
  const setup = createNic([...plan.ranks], plan.size, plan.settings);
  const bind = plan.bind;
  // NIC threads take the cores after the ranks' (--bind-to core): one slot per VM, after rank size-1.
  const binding = { settings: plan.settings, slot: plan.size + plan.ranks[0]!, vm: plan.vm };
  const nic = await startNicThread(setup.shared, bind, faultsFromSettings(plan.settings), streamOf(plan.vm), binding);
  const address = nic.address === "0.0.0.0" ? "127.0.0.1" : nic.address;
  await plan.kvs.put(`slurpoe/${plan.vm}`, `${address}:${nic.port}`);
  for (let local = 0; local < plan.ranks.length; local++) {
    const keys = setup.keys[local]!;
    const endpoint: Endpoint = { address, port: nic.port, landing: keys.map((k) => k.landing), tags: keys.map((k) => k.tag) };
    await plan.kvs.put(`slurpoe/rank/${plan.ranks[local]}`, JSON.stringify(endpoint));
  }
  const options: SlurpoeOptions = { shared: setup.shared, keys: setup.keys };
  return { slurpoe: options };
}

/** Per-peer bookkeeping of the rank side. */
interface Peer {
  rank: number;
  stagingKey: number;
  /** The peer's landing-ring key for us. */
  landingKey: number;
  /** Staging ring: bytes allocated and freed (cumulative). */
  stagingHead: number;
  stagingFreed: number;
  /** Per send-queue slot: staging position after that request, and whether it used a large slot. */
  stagingEnd: Float64Array;
  large: Uint8Array;
  reclaimed: number;
  largePosted: number;
  largeDone: number;
  /** Sender's position in the peer's landing ring (int32, wraps). */
  landingPosition: number;
  /** Receiver side: landing bytes freed and last announced; receives posted and last announced. */
  landingFreed: number;
  landingAnnounced: number;
  posted: number;
  postedAnnounced: number;
}

class SlurpoeTransport implements Transport {
  readonly name = "slurpoe";
  readonly limits;
  readonly capabilities = { progress: "poll" } as const;
  private readonly context: TransportContext;
  private readonly queues: HostQueues;
  private readonly peers: (Peer | undefined)[];
  private readonly cache: RegistrationCache;
  private readonly nicCounters: NicCounters;
  private readonly mode: NicMode;
  private readonly doorbellBatch: number;
  private readonly interruptCost: number;
  private armed: Promise<void> | undefined;
  private closed = false;
  private flushQueued = false;
  private readonly flush = (): void => {
    this.flushQueued = false;
    this.queues.ring();
  };
  private frames = 0;
  private bytes = 0;
  private sends = 0;
  private writes = 0;
  private noRoom = 0;
  private interruptsTaken = 0;
  private idlePolls = 0;
  private roomCompletions = 0;

  constructor(context: TransportContext, options: SlurpoeOptions, endpoints: Map<number, Endpoint>) {
    this.context = context;
    const shared = options.shared;
    const q = new HostQueues(shared, context.rank);
    this.queues = q;
    const config = shared.layout;
    const profile = shared.profile;
    this.mode = shared.mode;
    this.doorbellBatch = doorbellBatchFromSettings(context.settings);
    this.interruptCost = interruptUs(profile);
    this.nicCounters = new NicCounters(shared.counters);
    const table = new MemoryTable(q.ctl, q.layout, q.local, context.rank * 7 + 3);
    this.cache = new RegistrationCache(table, config.size * config.largeSlots, q.layout.memoryBytes, () => spinMicroseconds(profile.registerUs));
    this.peers = new Array(context.size).fill(undefined);
    for (const rank of context.peers) {
      const e = endpoints.get(rank)!;
      const [tagHigh, tagLow] = e.tags[context.rank]!;
      q.connect(rank, ipToInt(e.address), e.port, tagHigh, tagLow);
      this.peers[rank] = {
        rank,
        stagingKey: options.keys[q.local]![rank]!.staging,
        landingKey: e.landing[context.rank]!,
        stagingHead: 0,
        stagingFreed: 0,
        stagingEnd: new Float64Array(config.sqDepth),
        large: new Uint8Array(config.sqDepth),
        reclaimed: q.completed(rank),
        largePosted: 0,
        largeDone: 0,
        landingPosition: 0,
        landingFreed: 0,
        landingAnnounced: 0,
        posted: config.rqDepth,
        postedAnnounced: config.rqDepth,
      };
    }
    const maxFrame = config.largeSlotBytes;
    this.limits = { eagerLimit: config.slotBytes - 64, maxFrameBytes: maxFrame, fragmentBytes: maxFrame - 64 };
  }

  /** Free staging space and large slots of requests the NIC completed. */
  private reclaim(p: Peer): void {
    const done = this.queues.completed(p.rank);
    const depth = p.stagingEnd.length;
    while (p.reclaimed !== done) {
      const slot = (p.reclaimed >>> 0) % depth;
      p.stagingFreed = p.stagingEnd[slot]!;
      if (p.large[slot]) p.largeDone++;
      p.reclaimed = (p.reclaimed + 1) | 0;
    }
  }

  trySend(peer: number, header: Uint8Array, payload: Uint8Array | undefined): boolean {
    const p = this.peers[peer]!;
    const q = this.queues;
    const n = header.byteLength + (payload ? payload.byteLength : 0);
    this.reclaim(p);
    const config = q.layout.config;
    const slot = q.tail(peer) >>> 0;
    if (q.outstanding(peer) >= config.sqDepth) return this.full(peer);
    const base = q.layout.qpMemory(peer);
    const record = alignUp(Math.max(n, 1), 64);
    if (n <= config.slotBytes) {
      const size = config.stagingBytes;
      let position = p.stagingHead;
      let at = position % size;
      if (at + record > size) {
        position += size - at;
        at = 0;
      }
      if (position + record - p.stagingFreed > size) return this.full(peer);
      q.memory.set(header, base + at);
      if (payload && payload.byteLength > 0) q.memory.set(payload, base + at + header.byteLength);
      if (!q.post(peer, WorkOp.SEND, p.stagingKey, at, n)) return this.full(peer);
      p.stagingHead = position + record;
      p.stagingEnd[slot % config.sqDepth] = p.stagingHead;
      p.large[slot % config.sqDepth] = 0;
      this.sends++;
    } else {
      if (n > this.limits.maxFrameBytes)
        throw new Error(`slurpoe: rank ${this.context.rank}: a ${n}-byte frame exceeds maxFrameBytes ${this.limits.maxFrameBytes}`);
      if (p.largePosted - p.largeDone >= config.largeSlots) return this.full(peer);
      const ring = config.landingBytes;
      let position = p.landingPosition;
      let at = (position >>> 0) % ring;
      if (at + record > ring) {
        position = (position + (ring - at)) | 0;
        at = 0;
      }
      if (((position + record - q.remoteCredit(peer)) | 0) > ring) return this.full(peer);
      const window = q.layout.largeSlotAt(peer, p.largePosted % config.largeSlots);
      const lkey = this.cache.acquire(window, config.largeSlotBytes, Access.LOCAL_READ);
      q.memory.set(header, window);
      if (payload && payload.byteLength > 0) q.memory.set(payload, window + header.byteLength);
      const end = (position + record) | 0;
      if (!q.post(peer, WorkOp.RDMA_WRITE_IMM, lkey, 0, n, p.landingKey, at, end)) return this.full(peer);
      p.landingPosition = end;
      p.largePosted++;
      p.stagingEnd[slot % config.sqDepth] = p.stagingHead;
      p.large[slot % config.sqDepth] = 1;
      this.writes++;
    }
    this.frames++;
    this.bytes += n;
    if (q.unannounced >= this.doorbellBatch) q.ring();
    else if (!this.flushQueued) {
      // A batch that does not fill still goes out when this burst of sends ends (a program may send and then
      // compute, or return, without polling again).
      this.flushQueued = true;
      queueMicrotask(this.flush);
    }
    return true;
  }

  private full(peer: number): false {
    this.noRoom++;
    // Announce what is posted (the NIC may be waiting for exactly that), and ask to hear when room frees up.
    this.queues.ring();
    this.queues.wantRoom(peer);
    return false;
  }

  poll(deliver: Deliver): number {
    const q = this.queues;
    q.ring();
    let delivered = 0;
    q.poll((type, peer, a, b, c) => {
      const p = this.peers[peer];
      if (!p) return;
      if (type === Completion.RECEIVE) {
        const at = q.layout.qpMemory(peer) + q.layout.receiveSlotAt(a);
        deliver(peer, q.memory.subarray(at, at + b));
        delivered++;
        // The buffer is free again as soon as the core returned (it copies what it keeps).
        p.posted = q.postReceives(peer, 1);
        if (p.posted - p.postedAnnounced >= q.layout.config.rqDepth / 2) {
          p.postedAnnounced = p.posted;
          q.announce(peer);
        }
      } else if (type === Completion.WRITE_IMMEDIATE) {
        const at = q.layout.qpMemory(peer) + q.layout.landingAt + b;
        deliver(peer, q.memory.subarray(at, at + c));
        delivered++;
        p.landingFreed = a;
        q.setCredit(peer, a);
        if (((a - p.landingAnnounced) | 0) >= q.layout.config.landingBytes / 4) {
          p.landingAnnounced = a;
          q.announce(peer);
        }
      } else if (type === Completion.ROOM) this.roomCompletions++;
      else if (type === Completion.ERROR) {
        this.context.onPeerLost(peer, `the SLURPoE queue pair to rank ${peer} failed (NAK reason ${a}: a bad key or an access outside a registered region)`);
      }
    });
    // Deliveries may have posted replies (clear-to-send, data): announce them.
    q.ring();
    return delivered;
  }

  awake(): void {
    if (this.mode === "interrupt") this.queues.disarm();
  }

  wakeup(): Promise<void> {
    const q = this.queues;
    q.ring();
    if (this.mode === "poll") {
      if (this.armed) return this.armed;
      // Polling mode: no interrupts; the host keeps looking at its completion queue (and pays a core for it).
      const armed = new Promise<void>((resolve) => {
        const look = (): void => {
          this.idlePolls++;
          if (q.hasCompletions() || this.closed) {
            this.armed = undefined;
            resolve();
          } else setImmediate(look);
        };
        setImmediate(look);
      });
      this.armed = armed;
      return armed;
    }
    if (this.armed) {
      // Still waiting on the interrupt line: arm the CQ again (awake() disarmed it).
      q.arm();
      return this.armed;
    }
    const seq = q.arm();
    if (q.hasCompletions()) {
      q.disarm();
      return Promise.resolve();
    }
    const r = q.waitInterrupt(seq);
    if (!r.async) return Promise.resolve();
    const armed = r.value.then(() => {
      this.armed = undefined;
      this.interruptsTaken++;
      // The interrupt's delivery and handler cost (a VM exit and injection when virtualized).
      spinMicroseconds(this.interruptCost);
    });
    this.armed = armed;
    return armed;
  }

  stats(): Record<string, number> {
    const q = this.queues;
    return {
      frames: this.frames,
      bytes: this.bytes,
      sends: this.sends,
      rdmaWrites: this.writes,
      noRoom: this.noRoom,
      doorbellsRung: q.doorbellsRung,
      completionQueuePolls: q.completionPolls + this.idlePolls,
      emptyCompletionQueuePolls: q.emptyPolls,
      interruptsTaken: this.interruptsTaken,
      roomCompletions: this.roomCompletions,
      registrationCacheHits: this.cache.hits,
      registrationCacheMisses: this.cache.misses,
      ...this.nicCounters.snapshot("nic."),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

const open: TransportFactory = async (context) => {
  const options = context.options.slurpoe as SlurpoeOptions | undefined;
  if (!options) throw new Error(`slurpoe: rank ${context.rank} has no NIC instance (the VM process did not run prepareProcess)`);
  const endpoints = new Map<number, Endpoint>();
  await Promise.all(
    context.peers.map(async (peer) => {
      endpoints.set(peer, JSON.parse(await context.kvs.get(`slurpoe/rank/${peer}`)) as Endpoint);
    }),
  );
  return new SlurpoeTransport(context, options, endpoints);
};
export default open;
