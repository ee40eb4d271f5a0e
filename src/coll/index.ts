/**
 * The collective entry points behind Channel: validate, pick an algorithm
 * (src/coll/select.ts), run it on the communicator's collective context, and
 * turn an error marker that reached this rank into an MpiError. Every rank
 * takes the same branch (choices depend only on facts all ranks share, or
 * are agreed first), so no rank can wait for a message another never sends.
 */
import { Buffer } from "node:buffer";
import { copyTypedArray } from "../core/payload.ts";
import type { Channel } from "./channel.ts";
import { MpiError } from "../errors.ts";
import { type Op, reducibleError } from "./op.ts";
import * as large from "./allreduce-large.ts";
import * as allgatherAlg from "./allgather.ts";
import * as alltoallAlg from "./alltoall.ts";
import * as barrierAlg from "./barrier.ts";
import * as bcastAlg from "./bcast.ts";
import * as gatherAlg from "./gather.ts";
import * as hier from "./hierarchical.ts";
import * as reduceAlg from "./reduce.ts";
import * as reduceScatterAlg from "./reduce-scatter.ts";
import * as scanAlg from "./scan.ts";
import { scratchOf } from "./scratch.ts";
import { SEQUENCE_BITS, signature } from "./check.ts";
import { type CollectiveOptions, choose, dependsOnSize, forced, rule, SHARED } from "./select.ts";
import * as shared from "./shared/collectives.ts";
import { type Now, settleCall, thenNow } from "./shared/collectives.ts";
import {
  byteSize,
  combineSignatures,
  type ErrorMarker,
  isErrorMarker,
  errorMarker,
  isNumericArray,
  failWith,
  markerError,
  type NumericArray,
  signatureOf,
  unwrap,
} from "./values.ts";

export type { CollectiveOptions } from "./select.ts";

/**
 * A typed array of `v`'s kind and length for a result every element of which
 * the algorithm writes: its own memory, not zeroed first (zeroing 1 MiB
 * costs about as much as reducing half of it).
 */
function newLike(v: NumericArray): NumericArray {
  const C = v.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => NumericArray;
  return new C(Buffer.allocUnsafeSlow(v.byteLength).buffer, 0, v.length);
}

/** Root data at least this large may be split by scatter-allgather inside hierarchical bcast (estimate; as rules.json). */
const SPLIT_BYTES = 262144;

export function barrier(comm: Channel, options?: CollectiveOptions): Promise<void> {
  return settleCall(barrierNow, comm, options);
}

function barrierNow(comm: Channel, options?: CollectiveOptions): Now<void> {
  const alg = choose(comm, "barrier", options, 0, true);
  const sig = signature("barrier", 0, undefined, options?.algorithm);
  if (alg === "hierarchical") {
    // It takes no tag here, which would fail on a broken communicator (guard.ts): ask.
    const broken = comm.brokenCall?.();
    if (broken) throw broken;
    return hier.barrier(comm, sig);
  }
  const tag = comm.nextCollectiveTag("barrier", sig);
  if (alg === SHARED) return shared.barrier(comm, tag, () => barrierBy(comm, rule(comm, "barrier", 0, true, true), tag));
  return barrierBy(comm, alg, tag);
}

function barrierBy(comm: Channel, alg: string, tag: number): Promise<void> {
  if (alg === "hierarchical") return hier.barrier(comm, tag >>> SEQUENCE_BITS);
  if (alg === "tree") return barrierAlg.tree(comm, tag);
  if (alg === "linear") return barrierAlg.linear(comm, tag);
  return barrierAlg.dissemination(comm, tag);
}

export function bcast<T>(comm: Channel, data: T | undefined, root: number, options?: CollectiveOptions): Promise<T> {
  return settleCall(bcastNow<T>, comm, data, root, options);
}

function bcastNow<T>(comm: Channel, data: T | undefined, root: number, options?: CollectiveOptions): Now<T> {
  const f = forced(comm, "bcast", options);
  const tag = comm.nextCollectiveTag("bcast", signature("bcast", root));
  if (f === SHARED || (f === undefined && rule(comm, "bcast", 0, true) === SHARED)) {
    // The root's size reaches every member through the segment when it does not fit there.
    return shared.bcast(comm, data, root, tag, (bytes) =>
      bcastBy(comm, data, root, tag, bytes === undefined ? undefined : rule(comm, "bcast", bytes, true, true), true),
    );
  }
  return bcastBy(comm, data, root, tag, f, false);
}

/** A point-to-point bcast: `alg` forced (or chosen from a size every member knows), else by the rules. */
async function bcastBy<T>(comm: Channel, data: T | undefined, root: number, tag: number, alg: string | undefined, skipShared: boolean): Promise<T> {
  let splitAbove = alg === "scatter_allgather" ? 0 : Number.POSITIVE_INFINITY;
  if (alg === undefined) {
    if (dependsOnSize(comm, "bcast", true, skipShared)) {
      // Only the root knows the size: run the shared tree and let the root decide whether to split.
      alg = "binomial";
      if (comm.rank === root && rule(comm, "bcast", byteSize(data), true, skipShared) === "scatter_allgather") splitAbove = 0;
    } else {
      alg = rule(comm, "bcast", 0, true, skipShared);
      if (alg === "scatter_allgather") splitAbove = 0;
    }
  }
  if (alg === "hierarchical") return hier.bcast(comm, data, root, SPLIT_BYTES, tag >>> SEQUENCE_BITS);
  if (alg === "linear") return bcastAlg.linear(comm, data, root, tag);
  if (alg === "pipeline") return bcastAlg.pipeline(comm, data, root, tag);
  return bcastAlg.tree(comm, data, root, tag, splitAbove);
}

/**
 * When the rules pick by message size, ranks first agree on kind and length
 * (a recursive doubling of signatures, the same schedule a small allreduce
 * uses, so even a rank that skipped this step meets its peers' messages and
 * learns of the mismatch). Throws the mismatch on every rank.
 */
async function agreeSignatures(comm: Channel, value: unknown, tag: number, call: string, schedule = "recursive_doubling"): Promise<void> {
  const mine = isErrorMarker(value) ? value : signatureOf(value);
  const sig =
    schedule === "linear"
      ? await reduceAlg.linearAll(comm, mine, combineSignatures, tag)
      : await reduceAlg.recursiveDoubling(comm, mine, combineSignatures, tag);
  if (isErrorMarker(sig)) throw failWith(comm, markerError(sig, comm.rank, call));
}

export function reduce<T>(comm: Channel, value: T, op: Op, root: number, options?: CollectiveOptions): Promise<T | undefined> {
  return settleCall(reduceNow<T>, comm, value, op, root, options);
}

function reduceNow<T>(comm: Channel, value: T, op: Op, root: number, options?: CollectiveOptions): Now<T | undefined> {
  checkOp(comm, op, "reduce");
  value = checked(op, value);
  const tag = comm.nextCollectiveTag("reduce", signature("reduce", root, op));
  const f = forced(comm, "reduce", options);
  const r =
    f === SHARED || (f === undefined && rule(comm, "reduce", 0, op.commutative) === SHARED)
      ? shared.reduce(comm, value, op, root, tag, (bytes) =>
          reduceBy(comm, value, op, root, tag, bytes === undefined ? undefined : rule(comm, "reduce", bytes, op.commutative, true), true),
        )
      : reduceBy(comm, value, op, root, tag, f, false);
  // A rank other than the root fails too when a mismatch reached it.
  return thenNow(r, (x) => {
    const v = unwrap<T>(x, comm, "reduce");
    return comm.rank === root ? v : undefined;
  });
}

async function reduceBy(comm: Channel, value: unknown, op: Op, root: number, tag: number, f: string | undefined, skipShared: boolean): Promise<unknown> {
  if (!f && dependsOnSize(comm, "reduce", op.commutative, skipShared)) await agreeSignatures(comm, value, tag, "reduce");
  const alg = f ?? rule(comm, "reduce", byteSize(value), op.commutative, skipShared);
  const merge = reduceAlg.opMerge(op);
  return alg === "linear" ? reduceAlg.linear(comm, value, root, merge, tag) : reduceAlg.binomial(comm, value, root, op.commutative, merge, tag);
}

export function allreduce<T>(comm: Channel, value: T, op: Op, options?: CollectiveOptions): Promise<T> {
  return settleCall(allreduceNow<T>, comm, value, op, options, false);
}

function allreduceNow<T>(comm: Channel, value: T, op: Op, options: CollectiveOptions | undefined, inPlace: boolean): Now<T> {
  checkOp(comm, op, "allreduce");
  value = checked(op, value);
  const tag = comm.nextCollectiveTag("allreduce", signature("allreduce", 0, op, options?.algorithm));
  const f = forced(comm, "allreduce", options);
  const r =
    f === SHARED || (f === undefined && rule(comm, "allreduce", 0, op.commutative) === SHARED)
      ? shared.allreduce(comm, value, op, inPlace && isNumericArray(value) ? value : undefined, tag, (bytes) =>
          allreduceBy(comm, value, op, tag, inPlace, bytes === undefined ? undefined : rule(comm, "allreduce", bytes, op.commutative, true), true),
        )
      : allreduceBy(comm, value, op, tag, inPlace, f, false);
  return r instanceof Promise ? r.then((x) => unwrap<T>(x, comm, "allreduce")) : unwrap<T>(r, comm, "allreduce");
}

/** A point-to-point allreduce: `f` forced (or chosen from a size every member knows), else by the rules. */
async function allreduceBy(comm: Channel, value: unknown, op: Op, tag: number, inPlace: boolean, f: string | undefined, skipShared: boolean): Promise<unknown> {
  let alg = f ?? rule(comm, "allreduce", byteSize(value), op.commutative, skipShared);
  const splits = alg === "ring" || alg === "rabenseifner";
  const usable = isNumericArray(value) && op.builtin && value.length >= comm.size && comm.size > 1;
  // Size-chosen algorithms other than the small-message one, and array-splitting ones, need agreed sizes.
  const small = smallSchedule(comm, op, skipShared);
  if ((splits && usable) || (!f && alg !== small && dependsOnSize(comm, "allreduce", op.commutative, skipShared))) {
    await agreeSignatures(comm, value, tag, "allreduce", f ? "recursive_doubling" : small);
  }
  if ((splits && !usable) || (alg === "hierarchical" && !op.commutative)) alg = "recursive_doubling";
  const merge = reduceAlg.opMerge(op);
  let r: unknown;
  if (alg === "ring" || alg === "rabenseifner") {
    const v = value as NumericArray;
    if (alg === "ring") r = await large.ring(comm, inPlace ? v : copyTypedArray(v), op, tag, scratchOf(comm));
    else r = await large.rabenseifner(comm, v, inPlace ? v : newLike(v), op, tag, scratchOf(comm));
  } else if (alg === "reduce_bcast") {
    const total = await reduceAlg.binomial(comm, value, 0, op.commutative, merge, tag);
    r = await bcastAlg.tree(comm, total, 0, tag, Number.POSITIVE_INFINITY);
  } else if (alg === "hierarchical") {
    r = await hier.allreduce(comm, value, op, tag >>> SEQUENCE_BITS);
  } else {
    // Typed arrays under built-in ops are merged and dropped (a user's op
    // could keep them): partners' values land in the reused scratch buffers.
    const typed = isNumericArray(value) && op.builtin;
    if (alg === "linear") r = await reduceAlg.linearAll(comm, value, merge, tag, typed ? scratchOf(comm) : undefined);
    else r = await reduceAlg.recursiveDoubling(comm, value, merge, tag, typed ? { inPlace, scratch: scratchOf(comm) } : {});
  }
  return r;
}

/**
 * The schedule the rules use for the smallest messages when it is one a
 * signature agreement can share (linear or recursive doubling): ranks that
 * run it on their data without agreeing first still exchange messages with
 * ranks that agree signatures over it, so a size mismatch is seen everywhere.
 */
function smallSchedule(comm: Channel, op: Op, skipShared: boolean): string {
  const a = rule(comm, "allreduce", 0, op.commutative, skipShared);
  return a === "linear" ? "linear" : "recursive_doubling";
}

/** allreduce into `buf` itself: ring and Rabenseifner reduce in place; the others copy the result in. */
export function allreduceInto<B extends ArrayBufferView>(comm: Channel, buf: B, op: Op, options?: CollectiveOptions): Promise<B> {
  return settleCall(allreduceIntoNow<B>, comm, buf, op, options);
}

function allreduceIntoNow<B extends ArrayBufferView>(comm: Channel, buf: B, op: Op, options: CollectiveOptions | undefined): Now<B> {
  if (!isNumericArray(buf)) throw new MpiError("ERR_ARG", `rank ${comm.rank}, allreduceInto: expected a typed array; use allreduce() for other values`);
  const r = allreduceNow(comm, buf, op, options, true);
  return r instanceof Promise ? r.then((x) => intoBuffer(buf, x)) : intoBuffer(buf, r);
}

/** `buf` holding the reduction `r` (copied in unless it was reduced in place). */
function intoBuffer<B extends ArrayBufferView>(buf: B, r: unknown): B {
  if (r !== buf) (buf as unknown as NumericArray).set(r as never);
  return buf;
}

async function prefix<T>(comm: Channel, value: T, op: Op, inclusive: boolean, options?: CollectiveOptions): Promise<T | undefined> {
  const call = inclusive ? "scan" : "exscan";
  checkOp(comm, op, call);
  value = checked(op, value);
  const tag = comm.nextCollectiveTag(call, signature(call, 0, op, options?.algorithm));
  const name = inclusive ? "scan" : "exscan";
  const f = forced(comm, name, options);
  if (!f && dependsOnSize(comm, name, op.commutative)) await agreeSignatures(comm, value, tag, call);
  const alg = f ?? rule(comm, name, byteSize(value), op.commutative);
  const merge = reduceAlg.opMerge(op);
  const r = alg === "linear" ? await scanAlg.linear(comm, value, merge, inclusive, tag) : await scanAlg.recursiveDoubling(comm, value, merge, inclusive, tag);
  return unwrap<T | undefined>(r, comm, call);
}

export function scan<T>(comm: Channel, value: T, op: Op, options?: CollectiveOptions): Promise<T> {
  return prefix(comm, value, op, true, options) as Promise<T>;
}

export async function exscan<T>(comm: Channel, value: T, op: Op, options?: CollectiveOptions): Promise<T | undefined> {
  const r = await prefix(comm, value, op, false, options);
  return comm.rank === 0 ? undefined : r;
}

export function gather<T>(comm: Channel, value: T, root: number, options?: CollectiveOptions): Promise<T[] | undefined> {
  return settleCall(gatherNow<T>, comm, value, root, options);
}

function gatherNow<T>(comm: Channel, value: T, root: number, options?: CollectiveOptions): Now<T[] | undefined> {
  const bytes = byteSize(value);
  const alg = choose(comm, "gather", options, bytes, true);
  const tag = comm.nextCollectiveTag("gather", signature("gather", root));
  if (alg === SHARED) return shared.gather(comm, value, root, tag, (b) => gatherBy(comm, rule(comm, "gather", b ?? bytes, true, true), value, root, tag));
  return gatherBy(comm, alg, value, root, tag);
}

// The algorithms are picked by functions, not closures made per call (tsx's keepNames renames every named closure as it is made: see shared/collectives.ts).
function gatherBy<T>(comm: Channel, a: string, value: T, root: number, tag: number): Promise<T[] | undefined> {
  return a === "linear" ? gatherAlg.linearGather(comm, value, root, tag) : gatherAlg.binomialGather(comm, value, root, tag);
}

export function allgather<T>(comm: Channel, value: T, options?: CollectiveOptions): Promise<T[]> {
  return settleCall(allgatherNow<T>, comm, value, options);
}

function allgatherNow<T>(comm: Channel, value: T, options: CollectiveOptions | undefined): Now<T[]> {
  const alg = choose(comm, "allgather", options, byteSize(value), true);
  const tag = comm.nextCollectiveTag("allgather", signature("allgather", 0, undefined, options?.algorithm));
  if (alg === SHARED) return shared.allgather(comm, value, tag, (b) => allgatherBy(comm, rule(comm, "allgather", b ?? byteSize(value), true, true), value, tag));
  return allgatherBy(comm, alg, value, tag);
}

function allgatherBy<T>(comm: Channel, a: string, value: T, tag: number): Promise<T[]> {
  const n = comm.size;
  if (a === "ring") return allgatherAlg.ring(comm, value, tag);
  if (a === "linear") return allgatherAlg.linear(comm, value, tag);
  if (a === "recursive_doubling" && (n & (n - 1)) === 0) return allgatherAlg.recursiveDoubling(comm, value, tag);
  return allgatherAlg.bruck(comm, value, tag);
}

/**
 * Pick an allgather and take its tag now (program order), but run it when
 * the returned function is called: communicator creation reserves its place
 * among the collectives at the call, then waits for earlier creations.
 * `kind` signs the tags (check.ts): a creation's never meet a user's allgather.
 */
export function reserveAllgather<T>(
  comm: Channel,
  bytes: number,
  options?: CollectiveOptions,
  kind: "allgather" | "commCreate" = "allgather",
): (value: T) => Promise<T[]> {
  const alg = choose(comm, "allgather", options, bytes, true);
  const tag = comm.nextCollectiveTag(kind, signature(kind, 0, undefined, options?.algorithm));
  if (alg === SHARED) {
    // The shared path takes its bank and turn now, in program order; the value comes later.
    let give!: (value: T) => void;
    const later = new Promise<T>((resolve) => (give = resolve));
    const out = shared.promised(
      shared.allgather(comm, later, tag, (b) => later.then((v) => allgatherBy(comm, rule(comm, "allgather", b ?? bytes, true, true), v, tag))),
    );
    return (value) => {
      give(value);
      return out;
    };
  }
  return (value) => allgatherBy(comm, alg, value, tag);
}

export function scatter<T>(comm: Channel, values: T[] | undefined, root: number, options?: CollectiveOptions): Promise<T> {
  return settleCall(scatterNow<T>, comm, values, root, options);
}

function scatterNow<T>(comm: Channel, values: T[] | undefined, root: number, options?: CollectiveOptions): Now<T> {
  const alg = choose(comm, "scatter", options, 0, true);
  const tag = comm.nextCollectiveTag("scatter", signature("scatter", root));
  let list = values as unknown[] | undefined;
  let local: MpiError | undefined;
  if (comm.rank === root && !(Array.isArray(values) && values.length === comm.size)) {
    // Tell every rank, so none waits for a block that will never come.
    local = new MpiError(
      "ERR_COUNT",
      `rank ${comm.rank}, scatter: the root passed ${Array.isArray(values) ? `${values.length} values` : "no array"} for ${comm.size} ranks; pass one value per rank`,
    );
    const m = { "\u0000tsmpi.error": ["ERR_COUNT", `the root (rank ${root}) passed a wrong number of values; pass one value per rank`] };
    list = Array.from({ length: comm.size }, () => m);
  }
  const r =
    alg === SHARED
      ? shared.scatter(comm, list, root, tag, (b) => scatterBy(comm, rule(comm, "scatter", b ?? 0, true, true), list, root, tag))
      : scatterBy(comm, alg, list, root, tag);
  return thenNow(r, (x) => {
    if (local) throw local;
    return unwrap<T>(x, comm, "scatter");
  });
}

function scatterBy(comm: Channel, a: string, list: unknown[] | undefined, root: number, tag: number): Promise<unknown> {
  return a === "linear" ? gatherAlg.linearScatter(comm, list, root, tag) : gatherAlg.binomialScatter(comm, list, root, tag);
}

function badCountMarker(comm: Channel, call: string): ErrorMarker {
  return {
    "\u0000tsmpi.error": [
      "ERR_COUNT",
      `rank ${comm.rank} passed a list whose length is not the communicator size ${comm.size} (${call}); pass one element per rank`,
    ],
  };
}

export function alltoall<T>(comm: Channel, values: T[], options?: CollectiveOptions): Promise<T[]> {
  return settleCall(alltoallNow<T>, comm, values, options);
}

function alltoallNow<T>(comm: Channel, values: T[], options?: CollectiveOptions): Now<T[]> {
  const bytes = Array.isArray(values) ? byteSize(values[0]) : 0;
  const alg = choose(comm, "alltoall", options, bytes, true);
  const tag = comm.nextCollectiveTag("alltoall", signature("alltoall", 0, undefined, options?.algorithm));
  const ok = Array.isArray(values) && values.length === comm.size;
  const list = (ok ? values : Array.from({ length: comm.size }, () => badCountMarker(comm, "alltoall"))) as T[];
  // The fallback's size is the largest slot record, for all blocks: read the rules by the per-block share of it.
  const out =
    alg === SHARED
      ? shared.alltoall(comm, list, tag, (b) =>
          alltoallBy(comm, rule(comm, "alltoall", b === undefined ? bytes : Math.floor(b / comm.size), true, true), list, tag),
        )
      : alltoallBy(comm, alg, list, tag);
  return out instanceof Promise ? out.then((o) => alltoallResult(comm, o)) : alltoallResult(comm, out);
}

function alltoallBy<T>(comm: Channel, a: string, list: T[], tag: number): Promise<T[]> {
  return a === "pairwise" ? alltoallAlg.pairwise(comm, list, tag) : a === "bruck" ? alltoallAlg.bruck(comm, list, tag) : alltoallAlg.linear(comm, list, tag);
}

/** The blocks, or the error every rank fails with when some passed lists of the wrong length. */
function alltoallResult<T>(comm: Channel, out: T[]): T[] {
  const bad = out.findIndex(isErrorMarker);
  if (bad < 0) return out;
  const good = out.findIndex((v) => !isErrorMarker(v));
  // Some ranks passed lists of the right length and some did not: their calls disagree.
  if (good >= 0) {
    throw failWith(
      comm,
      new MpiError(
        "ERR_COLL_MISMATCH",
        `rank ${comm.rank}, alltoall: rank ${bad} passed a list whose length is not the communicator size ${comm.size} where rank ${good} passed one of that length; every rank must pass one element per rank`,
      ),
    );
  }
  return unwrap(out[bad], comm, "alltoall");
}

export async function alltoallInto(
  comm: Channel,
  send: ArrayBufferView,
  sendCounts: readonly number[],
  recv: ArrayBufferView,
  recvCounts: readonly number[],
): Promise<void> {
  const n = comm.size;
  const call = "alltoallInto";
  for (const [name, a, counts] of [
    ["send", send, sendCounts],
    ["recv", recv, recvCounts],
  ] as const) {
    if (!isNumericArray(a)) throw new MpiError("ERR_ARG", `rank ${comm.rank}, ${call}: ${name} must be a typed array`);
    if (counts.length !== n || counts.some((c) => !Number.isInteger(c) || c < 0)) {
      throw new MpiError("ERR_COUNT", `rank ${comm.rank}, ${call}: ${name}Counts must hold ${n} non-negative integers`);
    }
    const total = counts.reduce((x, y) => x + y, 0);
    if (total > (a as NumericArray).length) {
      throw new MpiError("ERR_COUNT", `rank ${comm.rank}, ${call}: ${name}Counts add up to ${total} but ${name} holds ${(a as NumericArray).length} elements`);
    }
  }
  await alltoallAlg.linearInto(comm, send, sendCounts, recv, recvCounts, comm.nextCollectiveTag("alltoallInto", signature("alltoallInto")));
}

export async function reduceScatter<T>(comm: Channel, values: T[], op: Op, options?: CollectiveOptions): Promise<T> {
  checkOp(comm, op, "reduceScatter");
  const alg = choose(comm, "reduceScatter", options, Array.isArray(values) ? byteSize(values[0]) : 0, op.commutative);
  const tag = comm.nextCollectiveTag("reduceScatter", signature("reduceScatter", 0, op, options?.algorithm));
  const ok = Array.isArray(values) && values.length === comm.size;
  const list = ok ? values.map((v) => checked(op, v)) : badCountMarker(comm, "reduceScatter");
  const r = alg === "pairwise" ? await reduceScatterAlg.pairwise(comm, list, op, tag) : await reduceScatterAlg.reduceThenScatter(comm, list, op, tag);
  return unwrap<T>(r, comm, "reduceScatter");
}

/** The value, or an error marker standing in for it when `op` cannot reduce it (so every rank hears of it). */
function checked<T>(op: Op, value: T): T {
  const e = reducibleError(op, value);
  return e ? (errorMarker(e) as T) : value;
}

function checkOp(comm: Channel, op: Op, call: string): void {
  if (!op || typeof (op as Op).apply !== "function" || typeof (op as Op).commutative !== "boolean") {
    throw new MpiError("ERR_OP", `rank ${comm.rank}, ${call}: expected an Op (Op.SUM, … or Op.create(fn)), got ${String(op)}`);
  }
}
