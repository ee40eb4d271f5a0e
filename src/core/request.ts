/**
 * A non-blocking operation's handle: awaitable (PromiseLike) and testable,
 * as mpi4py's Request. No promise is made until someone awaits it, so an
 * abandoned failed request never becomes an unhandled rejection.
 */
import type { RankCore } from "./rank-core.ts";
import { UNDEFINED } from "../constants.ts";
import { MpiError } from "../errors.ts";

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

  constructor(core: RankCore | undefined, pending: Pending, finish: (p: any) => T) {
    this.core = core;
    this.pending = pending;
    this.finish = finish;
  }

  /** A request that is already complete with `value`. */
  static resolved<T>(value: T): Request<T> {
    return new Request<T>(undefined, { done: true, error: undefined, settle: undefined }, () => value);
  }

  /** A request that already failed. */
  static failed<T>(error: MpiError): Request<T> {
    return new Request<T>(undefined, { done: true, error, settle: undefined }, () => undefined as T);
  }

  /** Complete, without polling. */
  get completed(): boolean {
    return this.pending.done;
  }

  /** The value of a completed request (throws its error). */
  valueNow(): T {
    if (this.pending.error) throw this.pending.error;
    return this.finish(this.pending);
  }

  /** Blocking-style wait: poll (spin briefly, as send and recv do) for a completion already on its way; true once complete. */
  spin(): boolean {
    if (!this.pending.done) this.core?.spinFor(this.pending);
    return this.pending.done;
  }

  /** True once the operation is complete (successfully or not); makes progress like MPI_Test. */
  test(): boolean {
    if (!this.pending.done) this.core?.pollOnce();
    return this.pending.done;
  }

  /** The promise behind the request (made on first use). */
  asPromise(): Promise<T> {
    if (this.promise) return this.promise;
    const p = this.pending;
    if (p.done) {
      this.promise = p.error ? Promise.reject(p.error) : Promise.resolve(this.finish(p));
    } else {
      this.promise = new Promise<T>((resolve, reject) => {
        p.settle = (r: Pending) => (r.error ? reject(r.error) : resolve(this.finish(r)));
      });
      this.core?.ensureProgress();
    }
    return this.promise;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Request is awaitable by design (PromiseLike).
  then<A = T, B = never>(onfulfilled?: ((value: T) => A | PromiseLike<A>) | null, onrejected?: ((reason: any) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.asPromise().then(onfulfilled, onrejected);
  }
}

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
  return Promise.all(requests.map((r) => (r instanceof Request ? r.asPromise() : r))) as Promise<Out>;
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
