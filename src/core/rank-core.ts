/**
 * One rank's point-to-point engine, as its communicators see it: a façade
 * over the send side (sender.ts: eager, rendezvous, queues, credits), the
 * receive side (receiver.ts: dispatch, matching, landing), the matching
 * contexts (matching.ts) and progress (progress.ts: spin, then sleep). It
 * knows transports only through the contract in src/transport/contract.ts and
 * never asks which one carried a frame.
 */
import { MpiError } from "../errors.ts";
import type { Deliver, SharedSegment, Transport } from "../transport/contract.ts";
import { type Clock, wallClock } from "./clock.ts";
import { Contexts, type MatchingContext } from "./matching.ts";
import { type MessageObserver, observeBoth } from "./observer.ts";
import { Progress } from "./progress.ts";
import { Receiver } from "./receiver.ts";
import { type ReceiveRequest, RequestTable } from "./requests.ts";
import { Sender } from "./sender.ts";

/** A communicator side's matching state, as the core keeps it. */
type Context = MatchingContext<ReceiveRequest>;

export interface RankCoreOptions {
  rank: number;
  size: number;
  /** Transport serving each world rank (undefined for self: loopback). */
  transports: (Transport | undefined)[];
  /** How long a waiting rank polls before it sleeps, microseconds. */
  spinMicroseconds: number;
  /** The rank's clock (`Comm.wtime()`): the wall clock live, a virtual one in the simulator. */
  clock?: Clock;
  /** The simulator's scheduler, which runs ranks one at a time instead of letting them poll. */
  sim?: SimHooks;
}

/**
 * How the simulator learns when a rank blocks and when it may resume: it
 * runs one rank at a time and pops the next event only once that rank waits.
 */
export interface SimHooks {
  /** The rank awaits an incomplete request (instead of background progress). */
  waits(): void;
  /** A request someone awaits completed: the rank may resume. */
  settled(): void;
  /** A probe waits for the next arrival. */
  nextArrival(): Promise<void>;
}

export class RankCore {
  readonly rank: number;
  readonly size: number;
  readonly clock: Clock;
  /** Lowest context id this rank has never used; communicator creation agrees on the maximum. */
  nextContextId = 2;
  private readonly pollers: Transport[];
  private readonly contexts = new Contexts<ReceiveRequest>();
  private readonly requests = new RequestTable();
  private readonly progress: Progress;
  private readonly sim: SimHooks | undefined;
  /** The send side: `Comm` hands it sends directly (sender.ts). */
  readonly sender: Sender;
  /** The receive side: `Comm` posts receives on it directly (receiver.ts). */
  readonly receiver: Receiver;
  /** Entry point for every arriving frame (see Receiver.deliver); transports call it. */
  readonly deliver: Deliver;
  /** Memory shared with the other ranks of this VM, when a transport offers it (shared-memory collectives). */
  readonly segment: SharedSegment | undefined;

  constructor(options: RankCoreOptions) {
    this.rank = options.rank;
    this.size = options.size;
    this.clock = options.clock ?? wallClock;
    const pollers = new Set<Transport>();
    for (const t of options.transports) if (t && t.capabilities.progress === "poll") pollers.add(t);
    this.pollers = [...pollers];
    this.segment = options.transports.find((t) => t?.segment)?.segment;
    this.sim = options.sim;
    const events = new Set(options.transports.filter((t) => t && t.capabilities.progress === "event")).size;
    this.progress = new Progress(this, this.pollers, options.spinMicroseconds, events);
    // The sender hands frames to oneself to the receiver, which exists just below.
    this.sender = new Sender(this.rank, options.transports, this.requests, (s, f, at, n) => this.deliver(s, f, at, n));
    this.receiver = new Receiver(this.rank, options.transports, this.contexts, this.requests, this.sender, this.progress, this, (e) => this.failAll(e));
    this.deliver = this.receiver.deliver;
  }

  /** Tell `observer` of every message this rank sends and receives (`tsmpi profile`, live --trace), besides any observer already told. */
  observe(observer: MessageObserver): void {
    const both = this.sender.observer ? observeBoth(this.sender.observer, observer) : observer;
    this.sender.observer = both;
    this.receiver.observer = both;
  }

  /** Create the matching state for a context id (a communicator's point-to-point or collective side). */
  openContext(id: number, size: number): Context {
    const { ctx, waiting } = this.contexts.open(this.rank, id, size);
    for (const e of waiting) this.deliver(e.worldSource, e.frame);
    return ctx;
  }

  // ---- progress -----------------------------------------------------------------

  /** One non-blocking pass: poll every polled transport and retry queued frames. */
  pollOnce(): number {
    let n = 0;
    const pollers = this.pollers;
    for (let i = 0; i < pollers.length; i++) n += pollers[i]!.poll!(this.deliver);
    if (this.sender.pending) n += this.sender.flush();
    return n;
  }

  /** Called by transports when room frees up for queued frames. */
  readonly writable = (): void => {
    if (this.sender.pending) this.sender.flush();
    this.progress.wake();
  };

  /** Blocking-style calls spin briefly for a completion that is on its way (see progress.ts). */
  spinFor(req: { done: boolean }): void {
    this.progress.spinFor(req);
  }

  /** Keep progress going in the background while anything waits. */
  ensureProgress(): void {
    if (this.sim) this.sim.waits();
    else this.progress.ensure();
  }

  /** A promise a program awaits was settled: in the simulator, this rank may run again. */
  waiterSettled(): void {
    this.sim?.settled();
  }

  /** Resolves after the next arrival (probe). */
  nextArrival(): Promise<void> {
    return this.sim ? this.sim.nextArrival() : this.progress.nextArrival();
  }

  // ---- failure ------------------------------------------------------------------

  /** A peer is gone: fail everything that could be waiting on it (and everything after, to never hang). */
  peerLost(peer: number, reason: string): void {
    this.failAll(new MpiError("ERR_TRANSPORT", `rank ${this.rank}: lost rank ${peer}: ${reason}`));
  }

  /** Ranks called mismatched collectives on `ctx`: fail what waits on it, and every later receive on it (Receiver.breakContext). */
  breakContext(ctx: Context, error: MpiError): void {
    this.receiver.breakContext(ctx, error);
  }

  /** Fail every pending request and every later call with `error`. */
  failAll(error: MpiError): void {
    if (!this.requests.failed) this.requests.failed = error;
    this.receiver.failReceives(error);
    this.sender.failAll(error);
    this.progress.wake();
  }

  // ---- state, for reports ---------------------------------------------------------

  /** Waits outside the matching engine (shared-memory collectives), by what they wait for. */
  private readonly outsideWaits = new Set<{ what: string }>();

  /**
   * A wait that no request stands for (a shared-memory collective waiting on
   * its peers' counters) begins: it counts as blocked in MPI in hang reports,
   * described as `what`, until the returned function is called.
   */
  waitingOn(what: string): () => void {
    const entry = { what };
    this.outsideWaits.add(entry);
    return () => this.outsideWaits.delete(entry);
  }

  /** Calls blocked in MPI: pending requests and waits outside the matching engine (hang reports). */
  get blockedCount(): number {
    return this.requests.waiting + this.outsideWaits.size;
  }

  /** Pending work, for deadlock reports. */
  describePending(): string {
    const parts = this.contexts.describePosted();
    for (const w of this.outsideWaits) parts.push(w.what);
    if (this.requests.sends.size > 0) parts.push(`${this.requests.sends.size} rendezvous send(s) awaiting their receiver`);
    if (this.requests.receives.size > 0) parts.push(`${this.requests.receives.size} receive(s) awaiting data`);
    return parts.join("; ") || "nothing";
  }

  /** When every rank's main has returned: a collective message this rank never received (a mismatched call), if any. */
  collectiveLeftover(): string | undefined {
    this.pollOnce();
    return this.contexts.describeLeftover();
  }

  /** Frames handled so far (the simulator's deadlock watchdog reads it). */
  get activity(): number {
    return this.receiver.activity;
  }

  get pendingCount(): number {
    return this.requests.waiting;
  }

  /** The error every call now fails with, once the job is failing. */
  get failure(): MpiError | undefined {
    return this.requests.failed;
  }

  close(): void {
    this.progress.close();
  }
}
