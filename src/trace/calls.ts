/**
 * A slice per MPI call for traces: a program's communicator is handed over
 * wrapped in a Proxy that notes the rank's clock when a call enters and when
 * it is over (a promise settles, or the call returns), and reports the span
 * under the method's name ("allreduce", "send", "recv"). Only traced runs
 * wrap, so an untraced run pays nothing. Calls made inside the runtime go to
 * the communicator itself, not through the wrapper: a collective's own sends
 * are not slices of their own, its messages' arrows are.
 */

/** Methods that are no MPI call (clock reads, arithmetic on ranks) or internal to the runtime: not traced. */
const UNTRACED = new Set([
  "constructor",
  "wtime",
  "wtick",
  "coordsOf",
  "rankOf",
  "shift",
  "transportTo",
  "then",
  "toString",
  "toJSON",
  "valueOf",
  "agreeContextId",
  "derive",
  "nextCollectiveTag",
  "waitingOn",
]);

export interface CallTracer {
  /** The calling rank's clock, seconds (virtual in the simulator). */
  now(): number;
  /** A call named `name` ran from `start` to `end`. */
  call(name: string, start: number, end: number): void;
  /** Values that are handles to wait on later (a Request): their call ends when it returns, and they are left alone. */
  isHandle(value: unknown): boolean;
  /** Values to wrap in turn (a communicator a call returned: split, dup, cart). */
  isComm(value: unknown): value is object;
}

/** `comm`, with a slice reported for every MPI call made on it (and on the communicators its calls return). */
export function traceCalls<T extends object>(comm: T, tracer: CallTracer): T {
  const wrapped = new Map<PropertyKey, unknown>();
  const wrap = (v: unknown): unknown => (tracer.isComm(v) ? traceCalls(v, tracer) : v);
  return new Proxy(comm, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== "function" || typeof key !== "string" || UNTRACED.has(key) || key.startsWith("coll")) return value;
      let w = wrapped.get(key);
      if (!w) {
        const method = value as (...args: unknown[]) => unknown;
        w = (...args: unknown[]): unknown => {
          const start = tracer.now();
          let result: unknown;
          try {
            result = method.apply(target, args);
          } catch (e) {
            tracer.call(key, start, tracer.now());
            throw e;
          }
          if (result instanceof Promise) {
            return result.then(
              (v: unknown) => {
                tracer.call(key, start, tracer.now());
                return wrap(v);
              },
              (e: unknown) => {
                tracer.call(key, start, tracer.now());
                throw e;
              },
            );
          }
          tracer.call(key, start, tracer.now());
          return tracer.isHandle(result) ? result : wrap(result);
        };
        wrapped.set(key, w);
      }
      return w;
    },
  });
}
