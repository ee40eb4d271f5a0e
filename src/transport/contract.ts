/**
 * The transport contract: what a transport is, what it promises, and what the
 * core promises it in return. This file is the boundary between the core
 * (src/) and the transports (transports/*); transports import only this file,
 * and the core never imports a transport (it loads them by module path through
 * src/engine/transport-registry.ts).
 *
 * The idea is Open MPI's byte-transfer layer (opal/mca/btl/btl.h): a transport
 * only moves frames between ranks. It knows nothing about communicators, tags,
 * matching or message order beyond the opaque frame it carries. Everything
 * about MPI semantics (matching, non-overtaking order, eager versus rendezvous,
 * truncation) lives above it in src/core.
 *
 * ## Frames
 * A frame is a fixed-layout header of FRAME_HEADER_BYTES (its fields are the
 * core's business: src/core/frames.ts) followed by zero or more payload bytes. The core hands a transport the
 * header and the payload as two views (a gather list of two) so that a large
 * payload is never concatenated; the transport delivers a frame back as one
 * contiguous view.
 *
 * ## Sending
 * `trySend` either takes the whole frame now (copies it, or otherwise stops
 * needing the caller's memory before returning) and answers true, or takes
 * nothing and answers false ("no room"). The core keeps frames that did not
 * fit in a per-peer queue and retries them after progress, so a transport
 * never buffers without bound. A frame never exceeds `limits.maxFrameBytes`.
 *
 * ## Receiving and progress
 * Two progress styles exist, as in the BTL:
 * - "poll": arrivals are found by `poll(deliver)`, which the core calls while
 *   it spins or after `wakeup()` resolves (shared-memory rings);
 * - "event": arrivals come from the event loop (sockets, datagrams, another
 *   thread) and the transport calls `deliver` itself.
 * Either way, `deliver(source, frame)` is called with a view that is only
 * valid during the call: the core copies what it keeps before returning.
 * The core sequences messages itself, so a transport that reorders frames
 * from one source is still correct.
 *
 * ## Sleeping
 * A rank that has waited too long for progress stops spinning and sleeps. A
 * poll-style transport must be able to wake it: `wakeup()` returns a promise
 * that resolves when something may have arrived (futex style: it must not miss
 * an arrival that races with arming it). Event-style transports wake the rank
 * by delivering.
 *
 * ## Selection
 * The placement map decides which transport serves each pair of ranks (same
 * VM: "shm"; across VMs: the map's choice). A transport is told its peers at
 * open time (`TransportContext.peers`); it never probes.
 *
 * ## Failures
 * A transport that loses a peer (a socket closed mid-message, a process gone)
 * calls `onPeerLost(peer, reason)`; the core fails every request that waits on
 * that peer with ERR_TRANSPORT instead of hanging.
 *
 * ## Shared segments (optional)
 * A transport whose ranks share memory (shm: worker threads of one process)
 * may offer a `SharedSegment`: bytes every rank of the VM sees, plus the
 * doorbell the transport already rings for frames. The core hands it to
 * communicators, and collectives lay their flags and data slots out in it
 * (src/coll/shared, as Open MPI's coll/sm) to bypass frames and matching.
 * The transport owns only the bytes and the doorbell, never the layout.
 *
 * ## Costs
 * A transport module describes what a frame costs on its path as stages on
 * named resources (src/transport/cost.ts): the simulator charges them to its
 * virtual clock and the mapper weighs them.
 */

/**
 * Size of the core's frame header. A transport needs only this (to size its
 * limits and check a frame is at least a header), never the fields.
 */
export const FRAME_HEADER_BYTES = 40;

/** Limits the core uses to choose a protocol and to cut frames. */
export interface TransportLimits {
  /** Payload bytes at or below which a message travels as one frame with no handshake. */
  readonly eagerLimit: number;
  /** Largest frame (header + payload) that `trySend` accepts. */
  readonly maxFrameBytes: number;
  /** Payload bytes per rendezvous fragment; at most maxFrameBytes - header. */
  readonly fragmentBytes: number;
}

/** What the transport guarantees, so the core can skip work it would otherwise do. */
export interface TransportCapabilities {
  /** Whether arrivals are found by polling or pushed from the event loop. */
  readonly progress: "poll" | "event";
}

/**
 * Called by a transport for every frame that arrives: the `length` bytes at
 * `start` in `frame` (by default all of `frame`), valid only during the call.
 * Passing a whole buffer with offsets spares a poll-style transport making a
 * view per frame.
 */
export type Deliver = (source: number, frame: Uint8Array, start?: number, length?: number) => void;

/**
 * The job's key-value store (PMI's KVS, the launcher's rendezvous service):
 * how a transport publishes an endpoint address (a listening port, a NIC's
 * datagram address) and finds its peers'. Keys are job-wide.
 */
export interface KeyValueStore {
  put(key: string, value: string): Promise<void>;
  /** Resolves once some rank or VM process has put `key`. */
  get(key: string): Promise<string>;
}

/** What the core gives a transport when it opens it. */
export interface TransportContext {
  /** This rank's world rank. */
  readonly rank: number;
  /** Number of ranks in the job. */
  readonly size: number;
  /** The world ranks this transport must reach (the placement chose it for these pairs). */
  readonly peers: readonly number[];
  /** Where arrivals go. Event-style transports call it themselves; poll-style ones from `poll`. */
  readonly deliver: Deliver;
  /** Tell the core a peer is gone: requests that wait on it fail with ERR_TRANSPORT. */
  readonly onPeerLost: (peer: number, reason: string) => void;
  /** Tell the core that frames it queued may now fit (after backpressure was released). */
  readonly onWritable: () => void;
  /** Engine-specific setup (shared buffers, addresses, secrets); each transport documents what it reads. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Job settings (`--set key=value`); transports read their own keys (`shm.ringBytes`, `nic.mode`, …). */
  readonly settings: Readonly<Record<string, string>>;
  /** Publish and look up endpoint addresses. */
  readonly kvs: KeyValueStore;
}

/**
 * Memory shared by the ranks of one VM (see "Shared segments"). Every rank
 * listed in `ranks` sees the same `buffer`, zeroed when the VM started;
 * users agree among themselves which part each one writes.
 */
export interface SharedSegment {
  /** World ranks that share the segment, in their local order. */
  readonly ranks: readonly number[];
  readonly buffer: SharedArrayBuffer;
  /** Wake world rank `rank` if it sleeps (in `waitSync` or the transport's wakeup): a store it waits for was published. */
  notify(rank: number): void;
  /**
   * Block this thread until `ready()` holds, a frame or a `notify` arrives,
   * or `timeoutMs` passes (futex style: a notify racing with falling asleep
   * is not lost, because `ready()` is checked after the sleeping flag is up).
   */
  waitSync(ready: () => boolean, timeoutMs: number): void;
  /** Give the core away for a moment while spinning (ranks outnumber cores); absent when that does not pay. */
  readonly relax?: () => void;
  /** As Transport.yieldCore: give the core away once in a long spin, when `relax` is absent. */
  readonly yieldCore?: () => void;
  /**
   * Single copy, when the ranks sharing the segment are threads of one
   * process and the transport may use it: the address of a view's memory,
   * and a copy out of another rank's memory by address (which the owner
   * keeps alive until the reader says it is done).
   */
  readonly address?: (view: Uint8Array) => bigint;
  readonly copyFrom?: (address: bigint, into: Uint8Array) => void;
}

/** A transport instance, opened once per rank. */
export interface Transport {
  readonly name: string;
  readonly limits: TransportLimits;
  readonly capabilities: TransportCapabilities;
  /** Send one frame now or not at all (see "Sending" above). */
  trySend(peer: number, header: Uint8Array, payload: Uint8Array | undefined): boolean;
  /** Poll-style only: deliver what has arrived; returns the number of frames delivered. */
  poll?(deliver: Deliver): number;
  /** Poll-style only: resolves when something may have arrived (see "Sleeping"). */
  wakeup?(): Promise<void>;
  /**
   * Poll-style only, optional: called between polls while the rank spins. A
   * transport may give the core away here (sched_yield) when ranks outnumber
   * cores, so the peer being waited for runs now rather than after a time
   * slice; the core then spins longer before it blocks.
   */
  relax?(): void;
  /**
   * Poll-style only, optional, for when `relax` is absent (every rank has a
   * core): give the core away once (sched_yield), called every 64 polls of a
   * long spin. Another process may hold the other cores, so the peer being
   * waited for can be runnable on this very core; without a yield it runs
   * only once the spin budget is spent and this rank blocks (hundreds of
   * microseconds per hand-over). Where nothing else is runnable the yield
   * returns at once: one system call per 64 polls.
   */
  yieldCore?(): void;
  /**
   * Poll-style only, optional: block this thread until something may have
   * arrived or `timeoutMs` passed (a futex wait, Atomics.wait). Cheaper to
   * wake than `wakeup()`, whose promise settles through the event loop; the
   * core uses it only while the rank waits in MPI calls and no event-style
   * transport needs the event loop, and only for a bounded time.
   */
  waitSync?(timeoutMs: number): void;
  /**
   * Poll-style only: the rank is awake and polling again, so writers need not
   * notify it (each notify is a system call); an armed wakeup may stay armed
   * and is re-announced by the next `wakeup()`.
   */
  awake?(): void;
  /**
   * Optional single-copy rendezvous (RDMA-read style; CMA/XPMEM for Open MPI's
   * shared memory). `expose` returns a handle through which `peer` may read
   * `bytes`, or undefined when it cannot (then the core sends fragments).
   * The core keeps `bytes` referenced and unchanged until the receiver says
   * it is done. On the receiving side `readExposed` copies the exposed bytes
   * into `into` now and returns true, or returns false to fall back.
   */
  expose?(peer: number, bytes: Uint8Array): bigint | undefined;
  readExposed?(peer: number, handle: bigint, into: Uint8Array): boolean;
  /** Optional: memory this rank shares with the other ranks of its VM (see "Shared segments"). */
  readonly segment?: SharedSegment;
  /** Counters for `--stats` and manifests. */
  stats?(): Record<string, number>;
  /** Release sockets, threads and buffers. */
  close(): Promise<void>;
}

/** A transport module's default export: opens a transport for one rank. */
export type TransportFactory = (context: TransportContext) => Transport | Promise<Transport>;

/** What the process hosting a VM's ranks tells a transport module before any rank opens it. */
export interface ProcessPlan {
  /** This VM's name in the placement map. */
  readonly vm: string;
  /** World ranks that live in this process (this VM), in rank order. */
  readonly ranks: readonly number[];
  /** Number of ranks in the job. */
  readonly size: number;
  /** Settings from the command line / environment (transport-specific keys). */
  readonly settings: Readonly<Record<string, string>>;
  /** The address this VM's listeners bind to (loopback unless `--bind`, or the node's own under a foreign launcher). */
  readonly bind: string;
  /** Publish and look up addresses (e.g. a NIC instance's datagram port). */
  readonly kvs: KeyValueStore;
}

/**
 * What the launcher tells a transport module once per job, before any VM
 * process starts (live engine only). Every rank's transport options also
 * carry `job.secret` (hex: the per-job secret every connection must prove it
 * knows) and `job.bind` (the address listeners bind to; loopback unless
 * `--bind`).
 */
export interface JobPlan {
  /** Number of ranks in the job. */
  readonly size: number;
  /** Host and VM name of every world rank. */
  readonly hosts: readonly string[];
  readonly vms: readonly string[];
  /** The ranks this transport joins: pairs (a, b) for which the placement chose it. */
  readonly uses: (a: number, b: number) => boolean;
  readonly settings: Readonly<Record<string, string>>;
  readonly secret: string;
  readonly bind: string;
  /** Publish and look up addresses. */
  readonly kvs: KeyValueStore;
  /** A line for the launcher's stderr (a stranger dropped, a bridge's complaint). */
  readonly log: (line: string) => void;
  /** A job-level process (a bridge) died: the launcher ends the job naming `why`. */
  readonly fail: (why: string) => void;
}

/** What `prepareJob` hands back to the launcher. */
export interface JobPreparation {
  /** Extra transport options per VM name (merged into every rank's `TransportContext.options`). */
  readonly options: Readonly<Record<string, Record<string, unknown>>>;
  /** Processes the transport started (for `--stats`, manifests and orphan checks). */
  readonly processes: readonly { name: string; pid: number }[];
  /** Addresses those processes listen on ("host:port"), for logs and stranger tests. */
  readonly endpoints?: readonly { name: string; address: string }[];
  /** Stop everything the transport started; resolves with counters per process name (for `--stats`). */
  stop(): Promise<Record<string, Record<string, number>>>;
}

/**
 * Under a foreign launcher (`tsmpi exec`) there is no launcher process of
 * tsmpi's to run `prepareJob`: every VM process calls `prepareHost`
 * instead, and the first process on each host (`first`) starts what the
 * host needs (the bridge), publishing its address through `kvs`, whose
 * `get` waits until someone has put the key.
 */
export interface HostPlan extends Omit<JobPlan, "hosts"> {
  /** Host of every world rank (JobPlan's `hosts`). */
  readonly hosts: readonly string[];
  /** The host this VM process runs on. */
  readonly host: string;
  /** True in exactly one VM process per host. */
  readonly first: boolean;
}

export interface HostPreparation {
  /** Extra transport options for this VM's ranks. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Stop what this process started (the first process on a host only). */
  stop(): Promise<void>;
}

/**
 * A transport module: a default-exported factory, and optionally a hook the
 * VM process calls once to make state its ranks share (a SharedArrayBuffer,
 * a listening socket's address). Whatever it returns must survive
 * structured cloning; each rank finds it in `TransportContext.options`.
 * `prepareJob` runs once per job in the launcher, before any VM starts, for
 * state that outlives VMs: the bridged transport starts one bridge process
 * per host there (the privileged domain) and stops it in `stop()`.
 */
export interface TransportModule {
  readonly default: TransportFactory;
  prepareProcess?(plan: ProcessPlan): Record<string, unknown> | Promise<Record<string, unknown>>;
  prepareJob?(plan: JobPlan): Promise<JobPreparation>;
  prepareHost?(plan: HostPlan): Promise<HostPreparation>;
}
