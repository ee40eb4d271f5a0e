/**
 * Checked collectives (`coll.check=full`, `tsmpi run --check-collectives`): before a
 * collective moves any data, every member agrees that all members are in the
 * same call, with the same root, op, element count and forced algorithm, as
 * MPICH's collective argument checking and MUST's collective matching do. The
 * agreement is an allreduce of the call's description over recursive doubling
 * (log2 n small messages): every member takes part whatever it was called
 * with, so every member learns of a mismatch and rejects with
 * ERR_COLL_MISMATCH naming both calls, instead of one rank hanging while
 * another returns a wrong answer. The communicator stays usable afterwards.
 */
import type { Channel } from "./channel.ts";
import { MpiError } from "../errors.ts";
import type { Op } from "./op.ts";
import { recursiveDoubling } from "./reduce.ts";
import { ALGORITHMS } from "./select.ts";
import { checkCollectives } from "./settings.ts";
import { describe, isErrorMarker, markerError, type ErrorMarker } from "./values.ts";

/** Key no program value uses: a call's description travelling through the agreement. */
const CALL_KEY = "\u0000tsmpi.call";

interface CallValue {
  /** The description and the lowest rank known to have made that call. */
  [CALL_KEY]: [string, number];
}

/** What a collective call was given that every member must give alike. */
export interface CallFacts {
  root?: number;
  op?: Op;
  /** A value whose kind and length every member must share (reductions). */
  value?: unknown;
  /** Blocks in a per-rank list (alltoall, reduceScatter); undefined when no list was given. */
  blocks?: number | undefined;
  algorithm?: string | undefined;
}

/** "allreduce(op SUM, Float64Array:8)": the call as every member must make it. */
export function describeCall(name: string, facts: CallFacts = {}): string {
  const parts: string[] = [];
  if ("op" in facts) parts.push(`op ${opName(facts.op)}`);
  if (facts.root !== undefined) parts.push(`root ${facts.root}`);
  if ("value" in facts) parts.push(describe(facts.value));
  if ("blocks" in facts) parts.push(facts.blocks === undefined ? "no list" : `${facts.blocks} blocks`);
  if (facts.algorithm) parts.push(`algorithm ${facts.algorithm}`);
  return parts.length > 0 ? `${name}(${parts.join(", ")})` : name;
}

/** Whether the job checks collectives (a communicator reads it once). */
/** A built-in op by its name; a user op by its function's name and commutativity (anything else as given, for the op check's error). */
function opName(op: unknown): string {
  if (!(op instanceof Object) || typeof (op as Op).name !== "string") return String(op);
  const o = op as Op;
  return o.builtin ? o.name : `${o.name} (user${o.commutative ? ", commutative" : ""})`;
}

export function checking(comm: Channel): boolean {
  return checkCollectives.read(comm.settings) === "full";
}

function mergeCalls(a: unknown, b: unknown): CallValue | ErrorMarker {
  if (isErrorMarker(a)) return a;
  if (isErrorMarker(b)) return b;
  const [ca, ra] = (a as CallValue)[CALL_KEY];
  const [cb, rb] = (b as CallValue)[CALL_KEY];
  if (ca === cb) return { [CALL_KEY]: [ca, Math.min(ra, rb)] };
  const [first, second] = ra < rb ? [`rank ${ra} called ${ca}`, `rank ${rb} called ${cb}`] : [`rank ${rb} called ${cb}`, `rank ${ra} called ${ca}`];
  return {
    "\u0000tsmpi.error": [
      "ERR_COLL_MISMATCH",
      `${first} where ${second}; every rank must call the same collectives in the same order, with the same root, op and count`,
    ],
  };
}

/** Agree with every member that all make the call `call`; throws ERR_COLL_MISMATCH on every member otherwise. */
export async function agreeOnCall(comm: Channel, call: string): Promise<void> {
  const tag = comm.nextCollectiveTag(`the check of ${call}`);
  const r = await recursiveDoubling(comm, { [CALL_KEY]: [call, comm.rank] }, mergeCalls, tag);
  if (isErrorMarker(r)) throw markerError(r, comm.rank, call);
  if (typeof r !== "object" || r === null || !(CALL_KEY in r)) {
    throw new MpiError("ERR_COLL_MISMATCH", `rank ${comm.rank}, ${call}: a peer sent collective data where the call's check was expected; every rank must run with the same coll.check`);
  }
}

// ---- the cheap check, always on: the call folded into its tags ---------------------
// A collective's tag carries, above the call's sequence number, which
// collective it is, its root (mod 64) or forced algorithm, and its op's code.
// Messages of calls that differ in any of them never match each other's
// receives: instead of a rank taking a peer's data for its own (an allreduce
// summing where a peer took the maximum, a broadcast from the wrong root),
// the rank that sees two tags for one call number fails every member at once
// (guard.ts); where no message shows it (every rank waits to receive), the
// deadlock report (live after --deadlock-after, at once in the simulator)
// says ERR_COLL_MISMATCH, naming each rank's call. Costs a few integer
// operations per call, and nothing per message.

/** Bits of a collective tag that count calls; the signature sits above them (tags stay below 2^30). */
export const SEQUENCE_BITS = 14;
export const SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1;

/** Collectives by the code their tags carry (4 bits). */
// "commCreate": the context-id agreement of dup, split, cart and a hierarchical collective's first call.
const KINDS = [
  "",
  "barrier",
  "bcast",
  "reduce",
  "allreduce",
  "scan",
  "exscan",
  "gather",
  "allgather",
  "scatter",
  "alltoall",
  "alltoallInto",
  "reduceScatter",
  "commCreate",
] as const;
export type Kind = Exclude<(typeof KINDS)[number], "">;
const BUILTIN_OPS = ["", "SUM", "PROD", "MIN", "MAX", "LAND", "LOR", "LXOR", "BAND", "BOR", "BXOR", "MINLOC", "MAXLOC"];

/** Each kind's code (its index in KINDS), looked up by name: a property read, not a search, on every call. */
const KIND_CODES = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<Kind, number>;

/** Collectives with a root: the root takes the 6 bits that other collectives give to a forced algorithm. */
const ROOTED: ReadonlySet<string> = new Set(["bcast", "reduce", "gather", "scatter"]);
/** ROOTED by kind code: an array read, not a hash lookup, on every call. */
const ROOTED_CODES = KINDS.map((k) => ROOTED.has(k));

/**
 * The 16-bit signature of a call: kind (4 bits); root mod 64, or for a
 * collective without a root the algorithm the call forces (`{ algorithm }`;
 * 0 when none: ranks must force the same, as two schedules on one tag
 * would take each other's messages) (6 bits); op code (6 bits).
 */
export function signature(kind: Kind, root = 0, op?: Op, algorithm?: string): number {
  const code = KIND_CODES[kind];
  const middle = ROOTED_CODES[code] ? root & 63 : algorithm === undefined ? 0 : algorithmCode(kind, algorithm);
  return code | (middle << 4) | ((op?.code ?? 0) << 10);
}

/** 1 + the algorithm's index among its collective's (select.ts), or 0 for one it does not have. */
function algorithmCode(kind: Kind, algorithm: string): number {
  const list: readonly string[] | undefined = (ALGORITHMS as Record<string, readonly string[]>)[kind];
  return list ? list.indexOf(algorithm) + 1 : 0;
}

/** "bcast(root=1) (collective call #3)": what a collective tag says, for reports of what a rank waits for. */
export function describeTag(tag: number, fallback: string): string {
  const sig = tag >>> SEQUENCE_BITS;
  const kind = KINDS[sig & 15];
  const call = `(collective call #${tag & SEQUENCE_MASK})`;
  if (!kind) return `${fallback} ${call}`;
  const parts: string[] = [];
  const op = (sig >>> 10) & 63;
  if (op !== 0) parts.push(`op=${op < 32 ? (BUILTIN_OPS[op] ?? op) : `user#${op & 31}`}`);
  const middle = (sig >>> 4) & 63;
  if (ROOTED.has(kind)) parts.push(`root=${middle}`);
  else if (middle !== 0) parts.push(`algorithm=${(ALGORITHMS as Record<string, readonly string[]>)[kind]?.[middle - 1] ?? middle}`);
  // No blanks inside the call's name: collectiveMismatch reads it back from reports.
  return `${kind}${parts.length ? `(${parts.join(",")})` : ""} ${call}`;
}

/**
 * Given the lines of a deadlock report (one per rank), the mismatch behind
 * it, or undefined for a plain deadlock. When every rank still running waits
 * in a collective of one communicator, yet not all in the same call (another
 * collective, root or op at the same call number, or another call number:
 * some rank called a collective the others did not), the ranks called
 * different collectives: in a program whose ranks agree, the rank furthest
 * behind would be waiting for messages its peers already sent.
 */
export function collectiveMismatch(lines: readonly string[]): string | undefined {
  const calls: { rank: string; call: string; number: string; context: string }[] = [];
  for (const line of lines) {
    const rank = /^rank (\d+)/.exec(line)?.[1];
    if (rank === undefined) continue;
    if (/has returned from main/.test(line)) continue;
    const m = /(\S+) \(collective call #(\d+)\) on context (\d+)/.exec(line);
    if (!m) return undefined;
    calls.push({ rank, call: m[1]!, number: m[2]!, context: m[3]! });
  }
  const first = calls[0];
  if (!first || calls.some((c) => c.context !== first.context)) return undefined;
  const other = calls.find((c) => c.call !== first.call || c.number !== first.number);
  if (!other) return undefined;
  return `rank ${first.rank} waits in ${first.call} (call #${first.number}) where rank ${other.rank} waits in ${other.call} (call #${other.number}) on context ${first.context}`;
}
