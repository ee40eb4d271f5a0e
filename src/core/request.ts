/**
 * A non-blocking operation's handle: awaitable (PromiseLike) and testable,
 * as mpi4py's Request. No promise is made until someone awaits it, so an
 * abandoned failed request never becomes an unhandled rejection.
 */

import { UNDEFINED } from "../constants.ts";
import { MpiError } from "../errors.ts";
import type { RankCore } from "./rank-core.ts";
import { SENT } from "./requests.ts";

/** The part of a core request a handle needs. */
export interface Pending {
  done: boolean;
  error: MpiError | undefined;
  settle: ((r: never) => void) | undefined;
}

export class Request<T> implements PromiseLike<T> {
  private promise: Promise<T> | undefined;
  private readonly core: RankCore | undefined;
  private readonly pending: Pending;
  private readonly finish: (p: any) => T;

  /** @internal */
  constructor(core: RankCore | undefined, pending: Pending, finish: (p: any) => T) {
    this.core = core;
    this.pending = pending;
    this.finish = finish;
  }

  /** A request that is already complete with `value`. @internal */
  static resolved<T>(value: T): Request<T> {
    return new Request<T>(undefined, { done: true, error: undefined, settle: undefined }, () => value);
  }

  /** A request that already failed. @internal */
  static failed<T>(error: MpiError): Request<T> {
    return new Request<T>(undefined, { done: true, error, settle: undefined }, () => undefined as T);
  }

  /** Complete, without polling. @internal */
  get completed(): boolean {
    return this.pending.done;
  }

  /** The value of a completed request (throws its error). @internal */
  valueNow(): T {
    if (this.pending.error) throw this.pending.error;
    return this.finish(this.pending);
  }

  /** Blocking-style wait: poll (spin briefly, as send and recv do) for a completion already on its way; true once complete. @internal */
  spin(): boolean {
    if (!this.pending.done) this.core?.spinFor(this.pending);
    return this.pending.done;
  }

  /** True once the operation is complete (successfully or not); makes progress like MPI_Test. */
  test(): boolean {
    if (!this.pending.done) this.core?.pollOnce();
    return this.pending.done;
  }

  /** The promise behind the request (made on first use). @internal */
  asPromise(): Promise<T> {
    if (this.promise) return this.promise;
    const p = this.pending;
    if (p.done) {
      this.promise = p.error ? Promise.reject(p.error) : Promise.resolve(this.finish(p));
    } else {
      this.promise = new Promise<T>((resolve, reject) => {
        p.settle = (r: Pending) => {
          this.core?.waiterSettled();
          if (r.error) reject(r.error);
          else resolve(this.finish(r));
        };
      });
      this.core?.ensureProgress();
    }
    return this.promise;
  }

  /** @internal (waitall) The core to wait with, unless this request is awaited through a promise already. */
  waitCore(): RankCore | undefined {
    return this.promise || this.pending.settle ? undefined : this.core;
  }

  /**
   * @internal (waitall) Call `done` once when this pending request completes,
   * without a promise of its own; false when it cannot (complete already, or
   * awaited through its promise).
   */
  onComplete(done: () => void): boolean {
    const p = this.pending;
    if (p.done || this.promise || p.settle) return false;
    p.settle = done;
    return true;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Request is awaitable by design (PromiseLike).
  then<A = T, B = never>(onfulfilled?: ((value: T) => A | PromiseLike<A>) | null, onrejected?: ((reason: any) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.asPromise().then(onfulfilled, onrejected);
  }
}

/**
 * What `isend` returns when the transport took the message at once: complete,
 * shared by every such send (a window of small sends then allocates nothing
 * per send), and never changed, as SENT.
 */
export const SENT_REQUEST: Request<void> = new Request<void>(undefined, SENT, () => undefined);

/**
 * Resolves to every request's value, in order (MPI_Waitall). Requests that
 * complete while it polls cost no promise each (a window of eager sends usually
 * is), and pending ones are awaited through their own promise rather than as
 * thenables, which would take an extra microtask each.
 */
export function waitall<T extends readonly PromiseLike<unknown>[]>(requests: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  type Out = { -readonly [K in keyof T]: Awaited<T[K]> };
  // Like MPI_Waitall, poll for completions on their way before falling back
  // to promises (each pending one costs a few trips through the microtask
  // queue). Polling stops at the first request that does not complete within
  // one spin, so the event loop is held for about one spin, not one per request.
  // A plain promise among them ends the polling too: only promises can wait for it.
  const n = requests.length;
  let done = 0;
  while (done < n) {
    const r = requests[done];
    if (!(r instanceof Request && r.spin())) break;
    done++;
  }
  if (done === n) {
    const out = new Array<unknown>(n);
    try {
      for (let i = 0; i < n; i++) out[i] = (requests[i] as Request<unknown>).valueNow();
    } catch (e) {
      return Promise.reject(e);
    }
    return Promise.resolve(out as Out);
  }
  return waitRest(requests, done) ?? (Promise.all(requests.map((r) => (r instanceof Request ? r.asPromise() : r))) as Promise<Out>);
}

/**
 * The rest of a waitall whose remaining operations are all plain pending
 * requests of one rank: one promise for all of them instead of one each (an
 * all-to-all waits on hundreds), settled when the last completes.
 */
function waitRest<T extends readonly PromiseLike<unknown>[]>(requests: T, from: number): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> | undefined {
  type Out = { -readonly [K in keyof T]: Awaited<T[K]> };
  const n = requests.length;
  let core: RankCore | undefined;
  for (let i = from; i < n; i++) {
    const r = requests[i];
    // Complete ones (a send the transport took at once is the shared SENT_REQUEST, with no core) need no waiting.
    if (r instanceof Request && r.completed) continue;
    const c = r instanceof Request ? r.waitCore() : undefined;
    if (!c || (core && c !== core)) return undefined;
    core = c;
  }
  return new Promise<Out>((resolve, reject) => {
    const counter = { left: 1 };
    const finish = countdown(counter, () => {
      core?.waiterSettled();
      const out = new Array<unknown>(n);
      try {
        for (let i = 0; i < n; i++) out[i] = (requests[i] as Request<unknown>).valueNow();
      } catch (e) {
        reject(e);
        return;
      }
      resolve(out as Out);
    });
    for (let i = from; i < n; i++) if ((requests[i] as Request<unknown>).onComplete(finish)) counter.left++;
    if (counter.left > 1) core?.ensureProgress();
    finish();
  });
}

/**
 * One callback for many completions: `done` runs on the call that brings
 * `counter.left` to 0. Made here rather than written in place as
 * `const finish = () => ...`: run from source (tsx, esbuild's keepNames)
 * such a closure is renamed with a defineProperty every time it is made, on
 * the path of every waitall.
 */
function countdown(counter: { left: number }, done: () => void): () => void {
  return () => {
    if (--counter.left === 0) done();
  };
}

/**
 * @internal Settles (never rejects) once every one of `records` is complete
 * or failed: a rank's own core requests that no handle was made for (a
 * collective's receives and sends; the caller reads their errors). As
 * waitall: polls for completions on their way, then one promise for all,
 * each record told by callback.
 */
export function waitRecords(core: RankCore, records: readonly Pending[]): Promise<void> {
  const n = records.length;
  let from = 0;
  while (from < n) {
    const p = records[from]!;
    if (!p.done) core.spinFor(p);
    if (!p.done) break;
    from++;
  }
  if (from === n) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const counter = { left: 1 };
    const finish = countdown(counter, () => {
      core.waiterSettled();
      resolve();
    });
    for (let i = from; i < n; i++) {
      const p = records[i]!;
      if (!p.done) {
        p.settle = finish;
        counter.left++;
      }
    }
    if (counter.left > 1) core.ensureProgress();
    finish();
  });
}

/**
 * Resolves to the first request that completes and its value (MPI_Waitany).
 * With no requests it settles at once with index UNDEFINED and no value, as
 * MPI_Waitany does with no active requests (a race of nothing never settles).
 */
export function waitany<T>(requests: readonly PromiseLike<T>[]): Promise<{ index: number; value: T }> {
  if (!Array.isArray(requests)) return Promise.reject(new MpiError("ERR_ARG", "waitany: expected an array of requests; pass [] for none"));
  if (requests.length === 0) return Promise.resolve({ index: UNDEFINED, value: undefined as T });
  return Promise.race(requests.map((r, index) => Promise.resolve(r).then((value) => ({ index, value }))));
}
