/**
 * Shared resources as FIFO servers: each has a next-free time, so a frame that
 * finds it busy waits, and contention emerges (a host's VMs saturating its
 * bridge CPU, small frames saturating a NIC processor) instead of being
 * assumed. Busy time, waiting time and backlog are kept per resource for
 * utilisation reports and trace counter tracks.
 *
 * Frames are charged when the simulator reaches them, and a rank may run
 * ahead of the others within a compute burst, so a resource can be asked to
 * serve a frame that arrives earlier than one it already scheduled. It then
 * serves it after that one (the reservation approximation LogGOPSim's
 * per-host `nexto`/`nextgs` timelines also make).
 */

/** Called when a resource starts serving: for trace counters. */
export type ResourceProbe = (resource: Resource, arrive: number, start: number, done: number) => void;

export class Resource {
  readonly name: string;
  /** Virtual time at which the server can take the next frame. */
  nextFree = 0;
  /** Total seconds spent serving. */
  busySeconds = 0;
  /** Total seconds frames spent waiting for the server. */
  waitSeconds = 0;
  /** Frames served. */
  served = 0;
  /** Largest backlog a frame found on arrival, seconds of queued work. */
  maxBacklog = 0;
  /** Interrupt coalescing: when the open batch fires, how many completions it holds, when its handler ends. */
  batchFire = Number.NEGATIVE_INFINITY;
  batchPending = 0;
  batchDone = Number.NEGATIVE_INFINITY;
  /** Interrupts raised (coalesced batches). */
  interrupts = 0;
  probe: ResourceProbe | undefined;

  constructor(name: string) {
    this.name = name;
  }

  /** Serve `service` seconds of work arriving at `arrive`; returns when it is done. */
  serve(arrive: number, service: number): number {
    const free = this.nextFree;
    const start = arrive > free ? arrive : free;
    const done = start + service;
    this.nextFree = done;
    this.busySeconds += service;
    this.served++;
    if (start > arrive) {
      const wait = start - arrive;
      this.waitSeconds += wait;
      if (wait > this.maxBacklog) this.maxBacklog = wait;
    }
    if (this.probe) this.probe(this, arrive, start, done);
    return done;
  }

  /** Seconds of work queued ahead of a frame arriving at `t`. */
  backlog(t: number): number {
    return this.nextFree > t ? this.nextFree - t : 0;
  }

  /** Fraction of `span` seconds this resource was busy. */
  utilisation(span: number): number {
    return span > 0 ? this.busySeconds / span : 0;
  }
}

/** Every resource of a simulation, made on first use by name. */
export class Resources {
  private readonly byName = new Map<string, Resource>();
  private probe: ResourceProbe | undefined;

  get(name: string): Resource {
    let r = this.byName.get(name);
    if (!r) {
      r = new Resource(name);
      r.probe = this.probe;
      this.byName.set(name, r);
    }
    return r;
  }

  /** Watch every resource, present and future (trace counters). */
  watch(probe: ResourceProbe): void {
    this.probe = probe;
    for (const r of this.byName.values()) r.probe = probe;
  }

  /** Resources in name order (deterministic reports). */
  list(): Resource[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Per resource: busy fraction of `span`, frames served, mean wait, interrupts. */
  report(span: number): Record<string, { utilisation: number; served: number; meanWait: number; maxBacklog: number; interrupts: number }> {
    const out: Record<string, { utilisation: number; served: number; meanWait: number; maxBacklog: number; interrupts: number }> = {};
    for (const r of this.list()) {
      out[r.name] = {
        utilisation: r.utilisation(span),
        served: r.served,
        meanWait: r.served > 0 ? r.waitSeconds / r.served : 0,
        maxBacklog: r.maxBacklog,
        interrupts: r.interrupts,
      };
    }
    return out;
  }
}
