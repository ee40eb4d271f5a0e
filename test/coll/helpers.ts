/**
 * Shared pieces of the collective tests: run a per-rank function in the sim
 * engine and collect each rank's value (or error code), sequential reference
 * folds, and the list of every algorithm of every collective.
 */
import { Comm } from "../../src/api/comm.ts";
import { MpiError } from "../../src/errors.ts";
import type { Op } from "../../src/coll/op.ts";
import type { ResolvedPlacement } from "../../src/placement/resolved.ts";
import { ALGORITHMS } from "../../src/coll/select.ts";
import { runSim } from "../../src/engine/sim/run-sim.ts";

export { ALGORITHMS };

/** Runs `f` on every rank (sim engine); returns each rank's value, throwing if any rank failed unexpectedly. */
export async function onRanks<T>(
  np: number,
  f: (world: Comm) => Promise<T>,
  options: { placement?: ResolvedPlacement; settings?: Record<string, string> } = {},
): Promise<T[]> {
  const results = await runSim({ np, main: (w: Comm) => f(w), ...options });
  const bad = results.find((r) => !r.ok);
  if (bad) throw new Error(`rank ${bad.rank} failed: ${bad.error}`);
  return results.map((r) => r.value as T);
}

/** The error code a promise rejects with ("none" when it resolves). */
export function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "none",
    (e: unknown) => (e instanceof MpiError ? e.code : `not an MpiError: ${String(e)}`),
  );
}

/** op(op(x0, x1), x2) … — the sequential reference for every reduction. */
export function fold<T>(op: Op, values: readonly T[]): T {
  let acc = values[0]!;
  for (let i = 1; i < values.length; i++) acc = op.apply(acc, values[i]!);
  return acc;
}

/** Comparable form of a value (typed arrays keep their kind, bigints stay distinct from numbers). */
export function plain(v: unknown): unknown {
  if (typeof v === "bigint") return `${v}n`;
  // MessagePack (the codec for plain values) carries -0 as the integer 0.
  if (Object.is(v, -0)) return 0;
  if (ArrayBuffer.isView(v)) return { [v.constructor.name]: Array.from(v as unknown as ArrayLike<number | bigint>, plain) };
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

export { Comm };
